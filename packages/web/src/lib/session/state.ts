import type { AuthUser } from "@compilar/domain"
import { createSignal } from "solid-js"

/**
 * Who is signed in, for the whole app. The access token lives here, in memory only: never in
 * localStorage or a readable cookie, where a script injected into the page could take it. The
 * refresh token is not here at all: it stays in the httpOnly cookie the server sets.
 *
 * Only `Session` (./Session.ts) changes it; components read `sessionStatus()` and
 * `currentUser()`, which are Solid signals.
 */

/** `restoring` until the first answer on load (signed in from the cookie, or not). */
export type SessionStatus = "restoring" | "signedIn" | "signedOut"

const [status, setStatus] = createSignal<SessionStatus>("restoring")
const [user, setUser] = createSignal<AuthUser | undefined>(undefined)
let token: string | undefined

export const sessionStatus = status
export const currentUser = user

/** The access token for `Authorization: Bearer`, when signed in. */
export const accessToken = (): string | undefined => token

/** Called by `Session` only. */
export const setSignedIn = (next: { readonly user: AuthUser; readonly accessToken: string }): void => {
  token = next.accessToken
  setUser(next.user)
  setStatus("signedIn")
}

/** Called by `Session` only. */
export const setSignedOut = (): void => {
  token = undefined
  setUser(undefined)
  setStatus("signedOut")
}

/**
 * Whether this browser may hold a session cookie worth a `/refresh` on load. It is a hint, not a
 * credential (the cookie itself is unreadable): it spares visitors who never signed in a request
 * on every page load, which would also count against the sign-in rate limit.
 */
const hintKey = "compilar.session"

export const sessionHint = {
  get: (): boolean => {
    try {
      return globalThis.localStorage?.getItem(hintKey) === "1"
    } catch {
      // Storage blocked (privacy settings): try the cookie anyway.
      return true
    }
  },
  set: (present: boolean): void => {
    try {
      if (present) globalThis.localStorage?.setItem(hintKey, "1")
      else globalThis.localStorage?.removeItem(hintKey)
    } catch {
      // Storage blocked: nothing to remember.
    }
  }
}

/**
 * What happened to the session without the learner asking, for the app to say so (a toast):
 * it ended (expired or revoked), was revoked because its refresh token was reused, was signed
 * out in another tab, or could not be restored because the server did not answer.
 */
export type SessionNotice =
  | { readonly _tag: "Expired" }
  | { readonly _tag: "Reused" }
  | { readonly _tag: "SignedOutElsewhere" }
  | { readonly _tag: "RestoreFailed"; readonly error: unknown }

const listeners = new Set<(notice: SessionNotice) => void>()

export const sessionNotices = {
  emit: (notice: SessionNotice): void => {
    for (const listener of listeners) listener(notice)
  },
  /** Returns the unsubscribe function. */
  subscribe: (listener: (notice: SessionNotice) => void): (() => void) => {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
}
