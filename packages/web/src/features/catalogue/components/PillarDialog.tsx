import { A } from "@solidjs/router"
import { createEffect, For, on, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { modeSearch } from "../mode.js"
import type { PillarCardModel } from "../Page.data.js"

/**
 * The detail view of one pillar, as a modal `<dialog>` (focus is trapped and Escape closes it,
 * natively). Open while `model` is set; the page ties that to `?pillar=` so a detail view has a URL
 * and the browser's Back button closes it.
 */
export function PillarDialog(props: { model: PillarCardModel | undefined; onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined

  createEffect(() => {
    const model = props.model
    if (!dialog) return
    if (model !== undefined && !dialog.open) dialog.showModal()
    if (model === undefined && dialog.open) dialog.close()
  })

  // Following a counterpart link swaps the content in place: start it from the top.
  createEffect(
    on(
      () => props.model?.pillar.id,
      () => {
        if (dialog) dialog.scrollTop = 0
      }
    )
  )

  const close = () => dialog?.close()

  return (
    <dialog
      ref={dialog}
      class="pillar-dialog"
      aria-labelledby="pillar-dialog-title"
      data-dimension={props.model?.dimension.id}
      onClose={() => props.onClose()}
      onClick={(event) => {
        // A click on the backdrop lands on the <dialog> itself; its content sits in an inner box.
        if (event.target === dialog) close()
      }}
    >
      <Show when={props.model}>
        {(model) => (
          <div class="pillar-dialog__box">
            <header class="pillar-dialog__head">
              <span class="pillar-card__letter" aria-hidden="true">
                {model().dimension.letter}
              </span>
              <div class="pillar-dialog__heading">
                <p class="pillar-dialog__meta">
                  {model().dimension.name} · {model().pillar.mode === "egalitarian" ? "Egalitarian" : "Hierarchical"} mode
                </p>
                <h2 id="pillar-dialog-title" class="pillar-dialog__title">
                  {model().pillar.title} <span class="chip">{model().pillar.abbreviation}</span>
                </h2>
              </div>
              <button type="button" class="icon-button" aria-label="Close details" onClick={close}>
                <Icon name="close" />
              </button>
            </header>

            <div class="pillar-dialog__body">
              <p class="pillar-dialog__measures">{model().pillar.measures}</p>

              <div class="pillar-dialog__columns">
                <div class="pillar-dialog__col">
                  <section>
                    <h3 class="label">About</h3>
                    <p class="pillar-dialog__description">{model().pillar.description}</p>
                  </section>
                  <section>
                    <h3 class="label">Its four forces</h3>
                    <dl class="force-defs">
                      <For each={model().forces}>
                        {(force) => (
                          <div class="force-defs__item">
                            <dt>{force.name}</dt>
                            <dd>{force.description}</dd>
                          </div>
                        )}
                      </For>
                    </dl>
                  </section>
                </div>

                <div class="pillar-dialog__col">
                  <section class="looks-like" data-band="high">
                    <h3 class="label">When it's high</h3>
                    <ul class="bullets">
                      <For each={model().pillar.highLooksLike}>{(line) => <li>{line}</li>}</For>
                    </ul>
                  </section>
                  <section class="looks-like" data-band="low">
                    <h3 class="label">When it's low</h3>
                    <ul class="bullets">
                      <For each={model().pillar.lowLooksLike}>{(line) => <li>{line}</li>}</For>
                    </ul>
                  </section>
                  <section>
                    <h3 class="label">Questions to reflect on</h3>
                    <ol class="questions">
                      <For each={model().pillar.reflectiveQuestions}>{(q) => <li>{q}</li>}</For>
                    </ol>
                  </section>
                </div>
              </div>

              <section class="counterpart" aria-labelledby="pillar-dialog-counterpart">
                <h3 id="pillar-dialog-counterpart" class="label">
                  Counterpart in {model().counterpartMode.name.toLowerCase()} mode
                </h3>
                <A
                  class="counterpart__link"
                  href={`/${modeSearch(model().counterpart.mode, model().counterpart.id)}`}
                  noScroll
                  data-mode={model().counterpart.mode}
                >
                  <span class="counterpart__title">
                    {model().counterpart.title} <span class="chip">{model().counterpart.abbreviation}</span>
                  </span>
                  <span class="counterpart__measures">{model().counterpart.measures}</span>
                  <Icon name="arrowRight" class="counterpart__arrow" />
                </A>
              </section>
            </div>
          </div>
        )}
      </Show>
    </dialog>
  )
}
