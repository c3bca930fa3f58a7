import { Navigate, type RouteSectionProps, useLocation } from "@solidjs/router"
import { Match, Switch } from "solid-js"
import { accountHref } from "../lib/session/nextPath.js"
import { sessionStatus } from "../lib/session/state.js"
import { PageLoading } from "./PageLoading.js"

/**
 * The layout of the pages that need an account (routes.ts): signed out, they send the learner
 * to `/signin?next=<this page>` (replacing this entry in the history, so Back does not bounce);
 * while the session is being restored on load, they wait.
 */
export function RequireAccount(props: RouteSectionProps) {
  const location = useLocation()
  const here = () => `${location.pathname}${location.search}${location.hash}`
  return (
    <Switch>
      <Match when={sessionStatus() === "restoring"}>
        <PageLoading />
      </Match>
      <Match when={sessionStatus() === "signedOut"}>
        <Navigate href={accountHref("/signin", here())} />
      </Match>
      <Match when={sessionStatus() === "signedIn"}>{props.children}</Match>
    </Switch>
  )
}
