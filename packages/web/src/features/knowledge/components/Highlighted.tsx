import { For } from "solid-js"
import { highlight } from "../highlight.js"

/** Text with the query's words wrapped in <mark>: text nodes only, never HTML. */
export function Highlighted(props: { text: string; terms: ReadonlyArray<string> }) {
  return (
    <For each={highlight(props.text, props.terms)}>
      {(segment) => (segment.match ? <mark>{segment.text}</mark> : <span>{segment.text}</span>)}
    </For>
  )
}
