import { A } from "@solidjs/router"
import { For, type JSX, Show } from "solid-js"
import { Icon, type IconName } from "./Icon.js"

export interface ComingSoonStep {
  readonly title: string
  readonly text: string
}

/**
 * An intentional empty state for a part of the product that is on its way: what it will do, the
 * steps it will take, and somewhere useful to go meanwhile.
 */
export function ComingSoon(props: {
  icon: IconName
  eyebrow: string
  title: string
  lede: string
  steps?: ReadonlyArray<ComingSoonStep>
  action?: { href: string; label: string }
  secondary?: { href: string; label: string }
  children?: JSX.Element
}) {
  return (
    <div class="container page">
      <section class="empty-state" aria-labelledby="page-title">
        <div class="empty-state__icon" aria-hidden="true">
          <Icon name={props.icon} />
        </div>
        <p class="eyebrow">
          {props.eyebrow} <span class="badge">Coming soon</span>
        </p>
        <h1 id="page-title" class="empty-state__title">
          {props.title}
        </h1>
        <p class="lede empty-state__lede">{props.lede}</p>
        {props.children}
        <Show when={props.steps}>
          {(steps) => (
            <ol class="steps">
              <For each={steps()}>
                {(step, i) => (
                  <li class="steps__item">
                    <span class="steps__number" aria-hidden="true">
                      {i() + 1}
                    </span>
                    <div>
                      <p class="steps__title">{step.title}</p>
                      <p class="steps__text">{step.text}</p>
                    </div>
                  </li>
                )}
              </For>
            </ol>
          )}
        </Show>
        <div class="button-row">
          <Show when={props.action}>
            {(action) => (
              <A class="button button--primary" href={action().href}>
                {action().label}
                <Icon name="arrowRight" />
              </A>
            )}
          </Show>
          <Show when={props.secondary}>
            {(secondary) => (
              <A class="button button--ghost" href={secondary().href}>
                {secondary().label}
              </A>
            )}
          </Show>
        </div>
      </section>
    </div>
  )
}
