import type { CoachingSource } from "@compilar/domain"
import { For, Match, Switch } from "solid-js"
import { blocksOf, type Inline } from "../coaching.js"

/**
 * The coaching text as elements: paragraphs, headings, lists, bold, and `[n]` citations as
 * buttons that open the cited passage. Everything is text nodes: the model's output is never
 * parsed as HTML.
 */
export function CoachingText(props: {
  text: string
  sources: ReadonlyArray<CoachingSource>
  onCite: (source: CoachingSource) => void
}) {
  const sourceOf = (n: number) => props.sources.find((s) => s.n === n)
  const blocks = () => blocksOf(props.text, (n) => sourceOf(n) !== undefined)

  const InlineRun = (run: { inline: ReadonlyArray<Inline> }) => (
    <For each={run.inline}>
      {(piece) => (
        <Switch>
          <Match when={piece._tag === "text" && piece}>{(p) => p().text}</Match>
          <Match when={piece._tag === "strong" && piece}>{(p) => <strong>{p().text}</strong>}</Match>
          <Match when={piece._tag === "cite" && sourceOf(piece.n)}>
            {(source) => (
              <button
                type="button"
                class="citation"
                data-cite={source().n}
                aria-label={`Source ${source().n}: ${source().title}`}
                title={source().title}
                onClick={() => props.onCite(source())}
              >
                {source().n}
              </button>
            )}
          </Match>
        </Switch>
      )}
    </For>
  )

  return (
    <For each={blocks()}>
      {(block) => (
        <Switch>
          <Match when={block._tag === "paragraph" && block}>{(b) => <p><InlineRun inline={b().inline} /></p>}</Match>
          <Match when={block._tag === "heading" && block}>{(b) => <h3 class="coaching__heading"><InlineRun inline={b().inline} /></h3>}</Match>
          <Match when={block._tag === "list" && block}>
            {(b) =>
              b().ordered ? (
                <ol>
                  <For each={b().items}>{(item) => <li><InlineRun inline={item} /></li>}</For>
                </ol>
              ) : (
                <ul>
                  <For each={b().items}>{(item) => <li><InlineRun inline={item} /></li>}</For>
                </ul>
              )}
          </Match>
        </Switch>
      )}
    </For>
  )
}
