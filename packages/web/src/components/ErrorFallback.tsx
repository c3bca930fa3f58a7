import { A, useLocation } from "@solidjs/router"
import { createEffect, on, onMount, Show } from "solid-js"
import { describeError } from "../lib/errors.js"
import { Icon } from "./Icon.js"

/**
 * What the ErrorBoundary around the routes shows when a page throws: a plain explanation, a
 * retry that re-renders the page, and a way home. Navigating elsewhere resets it too.
 */
export function ErrorFallback(props: { error: unknown; reset: () => void }) {
  const location = useLocation()
  let heading: HTMLHeadingElement | undefined
  const view = () => describeError(props.error)
  const detail = () =>
    props.error instanceof Error ? `${props.error.name}: ${props.error.message}` : String(props.error)

  createEffect(on(() => location.pathname, () => props.reset(), { defer: true }))
  onMount(() => heading?.focus())

  return (
    <div class="container page">
      <section class="empty-state empty-state--error" role="alert" aria-labelledby="error-title">
        <div class="empty-state__icon" aria-hidden="true">
          <Icon name="alert" />
        </div>
        <h1 id="error-title" class="empty-state__title" tabindex="-1" ref={heading}>
          Something went wrong
        </h1>
        <p class="lede empty-state__lede">
          This page hit a problem it could not recover from. Your work elsewhere is safe — try again,
          or head back to the pillars.
        </p>
        <div class="button-row">
          <button type="button" class="button button--primary" onClick={() => props.reset()}>
            <Icon name="refresh" />
            Try again
          </button>
          <A class="button button--ghost" href="/">
            Back to the pillars
          </A>
        </div>
        <Show when={detail()}>
          <details class="technical">
            <summary>Technical details</summary>
            <p>{view().title}</p>
            <pre>{detail()}</pre>
          </details>
        </Show>
      </section>
    </div>
  )
}
