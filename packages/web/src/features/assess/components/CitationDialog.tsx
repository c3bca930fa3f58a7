import { chunkById, type CoachingSource } from "@compilar/domain"
import { A } from "@solidjs/router"
import { Option } from "effect"
import { createEffect, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { categoryLabels } from "../../knowledge/search.js"
import { knowledgeHref } from "../../knowledge/search.js"
import { modeName, pillarOf } from "../labels.js"

/**
 * The passage a citation points at, in a modal dialog: its title and text (the knowledge corpus
 * ships with the app, so no request is needed), what it is about, and a link to it in the
 * knowledge base. Open while `source` is set; Escape, the close button or the backdrop close it.
 */
export function CitationDialog(props: { source: CoachingSource | undefined; onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined
  const passage = () => (props.source === undefined ? undefined : Option.getOrUndefined(chunkById(props.source.chunkId)))

  createEffect(() => {
    const open = props.source !== undefined
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  })

  const close = () => dialog?.close()

  return (
    <dialog
      ref={dialog}
      class="modal-dialog citation-dialog"
      aria-labelledby="citation-title"
      onClose={() => props.onClose()}
      onClick={(event) => {
        if (event.target === dialog) close()
      }}
    >
      <Show when={props.source}>
        {(source) => (
          <div class="modal-dialog__box" data-chunk={source().chunkId}>
            <header class="citation-dialog__head">
              <span class="citation citation--static" aria-hidden="true">
                {source().n}
              </span>
              <h2 id="citation-title" class="citation-dialog__title">
                {source().title}
              </h2>
              <button type="button" class="icon-button" aria-label="Close the passage" onClick={close}>
                <Icon name="close" />
              </button>
            </header>
            <Show
              when={passage()}
              fallback={<p class="citation-dialog__text">This passage is not in this version of the app; open it in the knowledge base.</p>}
            >
              {(chunk) => <p class="citation-dialog__text">{chunk().text}</p>}
            </Show>
            <ul class="passage__chips" aria-label="About this passage">
              <Show when={source().pillar}>
                {(pillar) => (
                  <li class="passage-chip" data-kind="pillar" data-value={pillar()}>
                    {pillarOf(pillar()).title}
                  </li>
                )}
              </Show>
              <li class="passage-chip" data-kind="mode" data-value={source().mode ?? "both"}>
                {source().mode === null ? "Both modes" : modeName(source().mode ?? "egalitarian")}
              </li>
              <li class="passage-chip" data-kind="category" data-value={source().category}>
                {categoryLabels[source().category]}
              </li>
            </ul>
            <div class="button-row">
              <A class="button button--ghost" href={knowledgeHref({ q: source().title, open: source().chunkId })}>
                <Icon name="book" />
                Open in the knowledge base
              </A>
            </div>
          </div>
        )}
      </Show>
    </dialog>
  )
}
