import { A } from "@solidjs/router"
import { type JSX, Show } from "solid-js"
import { Icon, type IconName } from "../../../components/Icon.js"
import type { ErrorView } from "../../../lib/errors.js"

/**
 * The empty, error and "not yet" states of the assessment, history and progress pages: an icon,
 * a heading, a sentence, and the ways out (a retry when one may help, a link elsewhere).
 */
export function StatePanel(props: {
  icon: IconName
  title: string
  text: string
  tone?: "error" | "neutral"
  retry?: (() => void) | undefined
  link?: { readonly href: string; readonly label: string } | undefined
  children?: JSX.Element
}) {
  return (
    <section
      class="empty-state state-panel"
      classList={{ "empty-state--error": props.tone === "error" }}
      role={props.tone === "error" ? "alert" : undefined}
      aria-labelledby="state-panel-title"
    >
      <div class="empty-state__icon" aria-hidden="true">
        <Icon name={props.icon} />
      </div>
      <h2 id="state-panel-title" class="empty-state__title">
        {props.title}
      </h2>
      <p class="lede empty-state__lede">{props.text}</p>
      {props.children}
      <div class="button-row">
        <Show when={props.retry}>
          {(retry) => (
            <button type="button" class="button button--primary" onClick={() => retry()()}>
              <Icon name="refresh" />
              Try again
            </button>
          )}
        </Show>
        <Show when={props.link}>
          {(link) => (
            <A class={props.retry ? "button button--ghost" : "button button--primary"} href={link().href}>
              {link().label}
            </A>
          )}
        </Show>
      </div>
    </section>
  )
}

/** A failed load: the error in words, its reference, and a retry when trying again may help. */
export function LoadFailed(props: {
  error: ErrorView
  retry: () => void
  link?: { readonly href: string; readonly label: string }
}) {
  return (
    <StatePanel
      icon="alert"
      tone="error"
      title={props.error.title}
      text={props.error.message}
      retry={props.error.retryable ? props.retry : undefined}
      link={props.link}
    >
      <Show when={props.error.requestId}>{(id) => <p class="state-panel__ref">Reference: {id()}</p>}</Show>
    </StatePanel>
  )
}
