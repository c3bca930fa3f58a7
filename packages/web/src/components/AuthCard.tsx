import { type JSX, Show } from "solid-js"
import { Icon, type IconName } from "./Icon.js"

/**
 * The frame of the account pages (sign in, sign up, account): one centred card with an icon,
 * an eyebrow, the page's heading and a short line under it, then the page's content and an
 * optional footer (the link to the other form).
 */
export function AuthCard(props: {
  icon: IconName
  eyebrow: string
  title: string
  lede: string
  children: JSX.Element
  footer?: JSX.Element
}) {
  return (
    <div class="container page auth-page">
      <section class="auth-card" aria-labelledby="page-title">
        <header class="auth-card__header">
          <div class="auth-card__icon" aria-hidden="true">
            <Icon name={props.icon} />
          </div>
          <p class="eyebrow">{props.eyebrow}</p>
          <h1 id="page-title" class="auth-card__title" tabindex="-1">
            {props.title}
          </h1>
          <p class="auth-card__lede">{props.lede}</p>
        </header>
        {props.children}
        <Show when={props.footer}>
          <footer class="auth-card__footer">{props.footer}</footer>
        </Show>
      </section>
    </div>
  )
}
