import { type SearchHit } from "@compilar/domain"
import { A } from "@solidjs/router"
import { Show } from "solid-js"
import { formatScore } from "../highlight.js"
import { categoryLabels, modeName, passageDomId, pillarOf } from "../search.js"
import { Highlighted } from "./Highlighted.js"

/**
 * One passage: title and text with the query's words marked, its pillar / mode / kind as chips,
 * the scores in small print, and a link to itself (`?open=<id>`) that citations can reuse.
 */
export function ResultCard(props: {
  hit: SearchHit
  rank: number
  terms: ReadonlyArray<string>
  open: boolean
  href: string
}) {
  const pillar = () => (props.hit.pillar === null ? undefined : pillarOf(props.hit.pillar))
  const titleId = () => `${passageDomId(props.hit.id)}-title`

  return (
    <article
      id={passageDomId(props.hit.id)}
      class="passage"
      classList={{ "is-open": props.open }}
      data-chunk={props.hit.id}
      data-mode={props.hit.mode ?? undefined}
      aria-labelledby={titleId()}
      aria-current={props.open ? "true" : undefined}
      tabindex="-1"
    >
      <header class="passage__head">
        <h3 id={titleId()} class="passage__title">
          <span class="visually-hidden">{props.rank}. </span>
          <Highlighted text={props.hit.title} terms={props.terms} />
        </h3>
        <A class="passage__anchor" href={props.href} title="Link to this passage">
          <span class="visually-hidden">Link to this passage: </span>#{props.hit.id}
        </A>
      </header>

      <p class="passage__text">
        <Highlighted text={props.hit.text} terms={props.terms} />
      </p>

      <footer class="passage__foot">
        <ul class="passage__chips" aria-label="About this passage">
          <Show when={pillar()}>
            {(p) => (
              <li class="passage-chip" data-kind="pillar" data-value={p().id}>
                <span class="visually-hidden">Pillar: </span>
                {p().title}
              </li>
            )}
          </Show>
          <li class="passage-chip" data-kind="mode" data-value={props.hit.mode ?? "both"}>
            <span class="visually-hidden">Mode: </span>
            {props.hit.mode === null ? "Both modes" : modeName(props.hit.mode)}
          </li>
          <li class="passage-chip" data-kind="category" data-value={props.hit.category}>
            <span class="visually-hidden">Kind: </span>
            {categoryLabels[props.hit.category]}
          </li>
        </ul>
        <p class="passage__scores" title="How well the passage matched: by meaning (semantic) and by words (keyword)">
          semantic {formatScore(props.hit.scores.vector)} · keyword {formatScore(props.hit.scores.keyword)}
        </p>
      </footer>
    </article>
  )
}
