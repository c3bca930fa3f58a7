import { A, useLocation } from "@solidjs/router"
import { Match, Switch } from "solid-js"
import { accountHref } from "../lib/session/nextPath.js"
import { currentUser, sessionStatus } from "../lib/session/state.js"
import { useSignOut } from "../lib/session/useSignOut.js"
import { Icon } from "./Icon.js"

/**
 * The account end of the navigation: "Sign in" (coming back to this page afterwards) when
 * signed out; the learner's name (their account page) and "Sign out" when signed in; a quiet
 * placeholder of the same size while the session is being restored, so nothing jumps.
 */
export function AccountNav() {
  const location = useLocation()
  const session = useSignOut()
  const here = () => `${location.pathname}${location.search}${location.hash}`
  return (
    <div class="account-nav">
      <Switch>
        <Match when={sessionStatus() === "restoring"}>
          <span class="account-nav__placeholder" aria-hidden="true" />
        </Match>
        <Match when={sessionStatus() === "signedOut"}>
          <A href={accountHref("/signin", here())} class="button button--ghost site-nav__signin" activeClass="is-active">
            <Icon name="user" />
            <span>Sign in</span>
          </A>
        </Match>
        <Match when={currentUser()}>
          {(user) => (
            <>
              <A href="/account" class="account-nav__user" activeClass="is-active" aria-label={`Your account: ${user().displayName}`}>
                <Icon name="user" />
                <span class="account-nav__name">{user().displayName}</span>
              </A>
              <button
                type="button"
                class="button button--ghost account-nav__signout"
                disabled={session.pending()}
                onClick={session.signOut}
              >
                <Icon name="logOut" />
                <span>Sign out</span>
              </button>
            </>
          )}
        </Match>
      </Switch>
    </div>
  )
}
