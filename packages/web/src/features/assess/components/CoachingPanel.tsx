import type { CoachingSource } from "@compilar/domain"
import { createMemo, createSignal, For, Match, onMount, Show, Switch } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { createCountdown } from "../../../lib/countdown.js"
import { createCoachingStream } from "../coachingStream.js"
import { CitationDialog } from "./CitationDialog.js"
import { CoachingText } from "./CoachingText.js"

/**
 * The coaching, streaming in as it is written: a status line, the text (with citations that
 * open their passage), the sources it draws on, and "Try again" when it could not be written.
 * The text region is not a live region (a screen reader would read every fragment); the status
 * line announces when it starts, finishes or fails.
 */
export function CoachingPanel(props: { assessmentId: string }) {
  const coaching = createCoachingStream(() => props.assessmentId)
  const [open, setOpen] = createSignal<CoachingSource | undefined>(undefined)
  const state = coaching.state
  let heading: HTMLHeadingElement | undefined
  onMount(() => coaching.start())

  // "Try again" goes away as it starts: the focus goes to the panel's heading, not to the page.
  const retry = () => {
    coaching.start()
    heading?.focus()
  }

  // Asking again before the server's "retry after" has passed is sure to fail: Try again waits it
  // out. Counted per failure (a memo of the object), not per text delta.
  const currentFailure = createMemo(() => state().failure)
  const waitSeconds = createCountdown(() => currentFailure()?.retryAfterSeconds)

  const writing = () => state().phase === "connecting" || state().phase === "streaming" || state().phase === "reconnecting"

  return (
    <section class="coaching" aria-labelledby="coaching-title" data-phase={state().phase}>
      <header class="coaching__head">
        <h2 id="coaching-title" class="results-section__title" tabindex="-1" ref={heading}>
          Your coaching
        </h2>
        <p class="coaching__status" role="status" aria-live="polite">
          <Switch>
            <Match when={state().phase === "connecting"}>
              <span class="spinner spinner--small" aria-hidden="true" />
              Preparing your coaching…
            </Match>
            <Match when={state().phase === "streaming"}>
              <span class="coaching__pulse" aria-hidden="true" />
              Writing…
            </Match>
            <Match when={state().phase === "reconnecting"}>
              <span class="spinner spinner--small" aria-hidden="true" />
              Connection lost — reconnecting…
            </Match>
            <Match when={state().phase === "done"}>
              <Icon name="check" />
              Written for your results
            </Match>
            <Match when={state().phase === "error"}>
              <Icon name="alert" />
              Interrupted
            </Match>
          </Switch>
        </p>
      </header>

      <div class="coaching__text" aria-busy={writing()}>
        <Show
          when={state().text !== ""}
          fallback={
            <Show when={writing()}>
              <div class="coaching__placeholder" aria-hidden="true">
                <span class="skeleton" />
                <span class="skeleton" />
                <span class="skeleton skeleton--short" />
              </div>
            </Show>
          }
        >
          <CoachingText text={state().text} sources={state().sources} onCite={setOpen} />
          <Show when={writing()}>
            <span class="coaching__caret" aria-hidden="true" />
          </Show>
        </Show>
      </div>

      <Show when={state().phase === "error" && state().failure}>
        {(failure) => (
          <div class="coaching__error" role="alert">
            <p>
              <strong>The coaching could not be finished.</strong> {failure().message}
            </p>
            <button type="button" class="button button--ghost" onClick={retry} disabled={waitSeconds() > 0}>
              <Icon name="refresh" />
              {waitSeconds() > 0 ? `Try again in ${waitSeconds()} s` : "Try again"}
            </button>
          </div>
        )}
      </Show>

      <Show when={state().sources.length > 0}>
        <section class="coaching__sources" aria-labelledby="coaching-sources-title">
          <h3 id="coaching-sources-title" class="label">
            Sources
          </h3>
          <ol class="sources-list">
            <For each={state().sources}>
              {(source) => (
                <li>
                  <button type="button" class="sources-list__item" data-source={source.n} onClick={() => setOpen(source)}>
                    <span class="citation citation--static" aria-hidden="true">
                      {source.n}
                    </span>
                    <span>{source.title}</span>
                  </button>
                </li>
              )}
            </For>
          </ol>
        </section>
      </Show>

      <CitationDialog source={open()} onClose={() => setOpen(undefined)} />
    </section>
  )
}
