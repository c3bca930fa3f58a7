import { createAsync } from "@solidjs/router"
import { Either } from "effect"
import { createEffect, For, Show } from "solid-js"
import { AuthCard } from "../../components/AuthCard.js"
import { Icon } from "../../components/Icon.js"
import { currentUser } from "../../lib/session/state.js"
import { useSignOut } from "../../lib/session/useSignOut.js"
import { usePageTitle } from "../../lib/title.js"
import { toastError } from "../../lib/toast.js"
import { getMe } from "./Page.data.js"
import { initialsOf } from "./initials.js"

/** An email address that wraps after its `@` on a narrow screen, before breaking inside a word. */
const EmailAddress = (props: { readonly email: string }) => {
  const at = () => props.email.lastIndexOf("@")
  return (
    <Show when={at() > 0} fallback={props.email}>
      {props.email.slice(0, at() + 1)}
      <wbr />
      {props.email.slice(at() + 1)}
    </Show>
  )
}

/**
 * The signed-in learner (behind `RequireAccount`): who they are, as the server says at
 * `GET /api/v1/auth/me`, and a way to sign out of this device.
 */
export default function AccountPage() {
  usePageTitle("Your account")
  const session = useSignOut()
  const me = createAsync(async () => {
    const signedIn = currentUser()
    return signedIn === undefined ? undefined : getMe(signedIn.id)
  })
  // What the server says; the session's copy if it cannot answer (the failure is toasted).
  const user = () => {
    const answer = me()
    return answer !== undefined && Either.isRight(answer) ? answer.right : currentUser()
  }

  createEffect(() => {
    const answer = me()
    if (answer !== undefined && Either.isLeft(answer)) toastError(answer.left, "account-me")
  })

  return (
    <AuthCard icon="user" eyebrow="Account" title="Your account" lede="You are signed in on this device.">
      <Show when={user()}>
        {(person) => (
          <div class="account">
            <div class="account__identity">
              <span class="account__avatar" aria-hidden="true">
                {initialsOf(person().displayName)}
              </span>
              <div class="account__names">
                <p class="account__name">{person().displayName}</p>
                <p class="account__email">
                  <EmailAddress email={person().email} />
                </p>
              </div>
            </div>
            <dl class="account__facts">
              <div class="account__fact">
                <dt>Role</dt>
                <dd>
                  <Show when={person().roles.length > 0} fallback="Learner">
                    <ul class="account__roles">
                      <For each={person().roles}>{(role) => <li class="chip">{role}</li>}</For>
                    </ul>
                  </Show>
                </dd>
              </div>
            </dl>
            <p class="account__note">
              Signing out ends the session on this device only; your other devices stay signed in.
            </p>
            <div class="button-row">
              <button type="button" class="button button--ghost" disabled={session.pending()} onClick={session.signOut}>
                <Show when={session.pending()} fallback={<Icon name="logOut" />}>
                  <span class="spinner" aria-hidden="true" />
                </Show>
                <span>{session.pending() ? "Signing out…" : "Sign out"}</span>
              </button>
            </div>
          </div>
        )}
      </Show>
    </AuthCard>
  )
}
