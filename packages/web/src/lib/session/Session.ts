import type { AuthSession, LoginRequest, SignupRequest } from "@compilar/domain"
import { Cause, DateTime, Effect, Either, Exit, Runtime } from "effect"
import { ApiClient } from "../ApiClient.js"
import { refreshFailure, shouldRenew } from "./policy.js"
import { refreshDelayMs, retryDelayMs, tokenLifetimeMs } from "./refreshSchedule.js"
import { singleFlight } from "./singleFlight.js"
import {
  accessToken,
  currentUser,
  sessionHint,
  type SessionNotice,
  sessionNotices,
  sessionStatus,
  setSignedIn,
  setSignedOut
} from "./state.js"
import { withTabLock } from "./tabLock.js"

/** The Web Lock every tab takes to refresh or sign out (both present the shared cookie). */
const lockName = "compilar-session-cookie"

/** Tabs tell each other about sign-in and sign-out; no token ever travels on it. */
const channelName = "compilar-session"

type Ending = "signedOut" | "expired" | "reused"

type TabMessage =
  | { readonly _tag: "SignedIn"; readonly userId: string }
  | { readonly _tag: "Ended"; readonly why: Ending }

const isTabMessage = (u: unknown): u is TabMessage =>
  typeof u === "object" && u !== null && "_tag" in u && (u._tag === "SignedIn" || u._tag === "Ended")

const noticeFor: Record<Ending, SessionNotice> = {
  signedOut: { _tag: "SignedOutElsewhere" },
  expired: { _tag: "Expired" },
  reused: { _tag: "Reused" }
}

/**
 * The learner's session in the browser: sign-up, sign-in and sign-out, restoring the session
 * from the refresh cookie on load, and keeping the access token fresh — silently before it
 * expires, and once after a call is refused with 401 (`withRenewal`).
 *
 * A refresh is never interrupted (one cut off after the server rotated the token would leave a
 * stale cookie, and presenting it again revokes the session), never runs twice at once in a tab
 * (`singleFlight`) and never at the same time as another tab's (`withTabLock`).
 */
export class Session extends Effect.Service<Session>()("Web/Session", {
  accessors: true,
  scoped: Effect.gen(function*() {
    const api = yield* ApiClient
    const runPromiseExit = Runtime.runPromiseExit(yield* Effect.runtime<never>())

    /** Runs an effect to completion on its own fiber: failures and defects as `Left`, never a rejection. */
    const settle = <A, E>(effect: Effect.Effect<A, E>): Promise<Either.Either<A, unknown>> =>
      runPromiseExit(effect).then(
        Exit.match({ onSuccess: (a) => Either.right(a), onFailure: (cause) => Either.left(Cause.squash(cause)) })
      )

    /** `settle` holding the cross-tab lock; a lock that cannot be taken (a closing page) is a failure too. */
    const settleLocked = <A, E>(effect: Effect.Effect<A, E>): Promise<Either.Either<A, unknown>> =>
      withTabLock(lockName, () => settle(effect)).catch((error: unknown) => Either.left(error))

    let timer: ReturnType<typeof setTimeout> | undefined
    /** When (this device's clock) the current token is due for a refresh. */
    let renewAt = Number.POSITIVE_INFINITY
    let failures = 0

    const cancelTimer = () => {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    }

    const channel = yield* Effect.acquireRelease(
      Effect.sync(() => (typeof BroadcastChannel === "undefined" ? undefined : new BroadcastChannel(channelName))),
      (opened) => Effect.sync(() => opened?.close())
    )
    const tell = (message: TabMessage) => channel?.postMessage(message)

    const establish = (session: AuthSession) => {
      const receivedAt = Date.now()
      const delay = refreshDelayMs(
        tokenLifetimeMs(session.accessToken, DateTime.toEpochMillis(session.expiresAt), receivedAt)
      )
      // Only what the page needs: the body's `refreshToken` (for non-browser clients) is dropped.
      setSignedIn({ user: session.user, accessToken: session.accessToken })
      sessionHint.set(true)
      failures = 0
      renewAt = receivedAt + delay
      cancelTimer()
      timer = setTimeout(() => void refresh(), delay)
    }

    const forget = () => {
      cancelTimer()
      renewAt = Number.POSITIVE_INFINITY
      setSignedOut()
    }

    const end = (why: Ending) => {
      const wasSignedIn = sessionStatus() === "signedIn"
      forget()
      sessionHint.set(false)
      tell({ _tag: "Ended", why })
      if (why === "reused" || (why === "expired" && wasSignedIn)) sessionNotices.emit(noticeFor[why])
    }

    /** POST /refresh with the cookie; true when a new access token is in place. */
    const refresh: () => Promise<boolean> = singleFlight(async () => {
      const result = await settleLocked(api.auth.refresh({ payload: {} }))
      if (Either.isRight(result)) {
        establish(result.right)
        return true
      }
      switch (refreshFailure(result.left)) {
        case "reused":
          end("reused")
          return false
        case "ended":
          end("expired")
          return false
        case "unavailable":
          if (sessionStatus() === "restoring") {
            // Keep the hint: the next load tries again.
            setSignedOut()
            sessionNotices.emit({ _tag: "RestoreFailed", error: result.left })
          } else if (sessionStatus() === "signedIn") {
            failures += 1
            cancelTimer()
            timer = setTimeout(() => void refresh(), retryDelayMs(failures))
          }
          return false
      }
    })

    // Another tab signed in or out: follow it (the cookie is shared, so its session is ours).
    if (channel !== undefined) {
      channel.onmessage = (event: MessageEvent<unknown>) => {
        const message = event.data
        if (!isTabMessage(message)) return
        if (message._tag === "SignedIn") {
          if (sessionStatus() !== "signedIn" || currentUser()?.id !== message.userId) void refresh()
        } else if (sessionStatus() === "signedIn") {
          forget()
          sessionNotices.emit(noticeFor[message.why])
        }
      }
    }

    // Timers are throttled in background tabs: catch up when the tab is shown again.
    if (typeof document !== "undefined") {
      const onVisible = () => {
        if (document.visibilityState === "visible" && sessionStatus() === "signedIn" && Date.now() >= renewAt) {
          void refresh()
        }
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => document.addEventListener("visibilitychange", onVisible)),
        () => Effect.sync(() => document.removeEventListener("visibilitychange", onVisible))
      )
    }
    yield* Effect.addFinalizer(() => Effect.sync(cancelTimer))

    const started = (session: AuthSession) =>
      Effect.sync(() => {
        establish(session)
        tell({ _tag: "SignedIn", userId: session.user.id })
        return session.user
      })

    return {
      /**
       * On load: restore the session from the refresh cookie when this browser may have one
       * (the hint), so a reload keeps the learner signed in. Signed out otherwise.
       */
      restore: Effect.promise(async () => {
        if (sessionStatus() !== "restoring") return
        if (sessionHint.get()) await refresh()
        else setSignedOut()
      }),

      /** Sign in. Uninterruptible: the server sets the cookie whether or not the page still waits. */
      signIn: (payload: typeof LoginRequest.Type) =>
        Effect.uninterruptible(Effect.flatMap(api.auth.login({ payload }), started)),

      /** Create an account and sign in. */
      signUp: (payload: typeof SignupRequest.Type) =>
        Effect.uninterruptible(Effect.flatMap(api.auth.signup({ payload }), started)),

      /**
       * Sign out: POST /logout (the server revokes this session and clears the cookie), then
       * forget the token. If the server cannot be reached the learner stays signed in, since
       * the cookie would otherwise sign them back in on the next load.
       */
      signOut: Effect.promise(() => settleLocked(api.auth.logout({ payload: {} }))).pipe(
        Effect.flatMap(Either.match({ onLeft: Effect.fail, onRight: () => Effect.sync(() => end("signedOut")) }))
      ),

      /**
       * After a call was refused with the token `rejected`: make a fresh one (coalesced with
       * any refresh already running). True when a retry may succeed.
       */
      renew: (rejected: string | undefined): Effect.Effect<boolean> =>
        Effect.suspend(() => {
          const current = accessToken()
          // Renewed by another call meanwhile: just retry with the new token.
          if (current !== undefined && current !== rejected) return Effect.succeed(true)
          return Effect.promise(refresh)
        })
    }
  }),
  dependencies: [ApiClient.Default]
}) {}

/**
 * Runs an API call; if it is refused because the access token expired or was not accepted,
 * renews the token once (see `Session.renew`) and runs the call once more.
 */
export const withRenewal = <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Session> =>
  Effect.gen(function*() {
    const sent = accessToken()
    const first = yield* Effect.either(call)
    if (Either.isRight(first)) return first.right
    if (!shouldRenew(first.left, sent)) return yield* Effect.fail(first.left)
    const renewed = yield* Effect.flatMap(Session, (session) => session.renew(sent))
    return renewed ? yield* call : yield* Effect.fail(first.left)
  })
