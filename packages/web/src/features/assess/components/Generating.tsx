import type { PillarId } from "@compilar/domain"
import { createSignal, For, onCleanup, onMount, Show } from "solid-js"
import { pillarOf } from "../labels.js"

const stages = ["Reading the knowledge base", "Writing ten statements", "Checking every force is covered"] as const

/**
 * While the quiz is being written (a real model can take several seconds): what is happening,
 * in three stages that light up in turn, and a reassurance if it takes longer than usual.
 * `fresh` false means the quiz exists and is only being read: a plain loading line.
 */
export function Generating(props: { pillar: PillarId; fresh: boolean }) {
  const [stage, setStage] = createSignal(0)
  const [slow, setSlow] = createSignal(false)
  onMount(() => {
    const timer = setInterval(() => setStage((s) => Math.min(s + 1, stages.length - 1)), 1800)
    const slowTimer = setTimeout(() => setSlow(true), 12_000)
    onCleanup(() => {
      clearInterval(timer)
      clearTimeout(slowTimer)
    })
  })
  return (
    <Show
      when={props.fresh}
      fallback={
        <div class="container page page-loading" role="status" aria-live="polite">
          <span class="spinner" aria-hidden="true" />
          <span>Opening your quiz…</span>
        </div>
      }
    >
      <div class="container page">
        <section class="generating" role="status" aria-live="polite" aria-labelledby="generating-title">
          <span class="generating__cards" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <h1 id="generating-title" class="generating__title">
            Writing your {pillarOf(props.pillar).title} quiz…
          </h1>
          <p class="generating__text">
            Ten statements about how your group works, grounded in the PILAR knowledge base. This usually takes a few
            seconds.
          </p>
          <ol class="generating__stages">
            <For each={stages}>
              {(label, i) => (
                <li classList={{ "is-done": i() < stage(), "is-active": i() === stage() }}>
                  <span class="generating__dot" aria-hidden="true" />
                  {label}
                </li>
              )}
            </For>
          </ol>
          <Show when={slow()}>
            <p class="generating__slow">Still writing — it's taking longer than usual, but it's on its way.</p>
          </Show>
        </section>
      </div>
    </Show>
  )
}
