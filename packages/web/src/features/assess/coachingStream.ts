import { isTerminal } from "@compilar/domain"
import { Effect } from "effect"
import { type Accessor, createSignal, onCleanup } from "solid-js"
import { config } from "../../lib/config.js"
import { followEventStream, type StreamEnd } from "../../lib/eventStream.js"
import { run } from "../../lib/runtime.js"
import { Session } from "../../lib/session/Session.js"
import { accessToken } from "../../lib/session/state.js"
import { toaster } from "../../lib/toast.js"
import { applyCoachingEvent, type CoachingFailure, type CoachingState, decodeCoachingEvent, initialCoaching } from "./coaching.js"

/**
 * The results page's coaching: `GET …/coaching` followed as Server-Sent Events with the
 * learner's access token (renewed once on 401), reconnecting with `Last-Event-ID` when the
 * network drops, until `done` or `error`. Leaving the page aborts the request, which tells the
 * server to stop the model if nobody else is following.
 */

export interface CoachingStream {
  readonly state: Accessor<CoachingState>
  /** Starts (or starts again, after an error): the text so far is dropped. */
  readonly start: () => void
}

const envelopeOf = (body: unknown): { readonly code?: string; readonly message?: string } => {
  if (typeof body !== "object" || body === null || !("error" in body)) return {}
  const error = body.error
  if (typeof error !== "object" || error === null) return {}
  return {
    ...("code" in error && typeof error.code === "string" ? { code: error.code } : {}),
    ...("message" in error && typeof error.message === "string" ? { message: error.message } : {})
  }
}

/** A refused or unreachable stream, as the same failure an `error` event carries. */
export const failureOf = (end: Extract<StreamEnd, { _tag: "failed" }>): CoachingFailure => {
  if (end.status === undefined) {
    return {
      code: "network",
      message: "The coaching could not be reached. Check your connection and try again.",
      retryable: true
    }
  }
  const envelope = envelopeOf(end.body)
  return {
    code: envelope.code ?? `http_${end.status}`,
    message: envelope.message ?? "The server could not send the coaching.",
    retryable: end.status === 429 || end.status >= 500,
    retryAfterSeconds: end.retryAfterMs === undefined ? undefined : Math.ceil(end.retryAfterMs / 1000)
  }
}

/** Learners should not wait on a toast for text they watched arrive; one that took a while deserves one. */
const notableMs = 2500

export const createCoachingStream = (assessmentId: Accessor<string>): CoachingStream => {
  const [state, setState] = createSignal<CoachingState>(initialCoaching)
  let controller: AbortController | undefined
  /** The "interrupted" toast of the last attempt: stale once the learner tries again. */
  let failureToast: number | undefined

  const fail = (failure: CoachingFailure) => {
    failureToast = toaster.show("error", { title: "Coaching interrupted", message: failure.message, key: "coaching" })
  }

  const start = () => {
    if (failureToast !== undefined) toaster.dismiss(failureToast)
    failureToast = undefined
    controller?.abort()
    const current = new AbortController()
    controller = current
    setState(initialCoaching)
    const startedAt = Date.now()
    let sent: string | undefined
    void followEventStream({
      url: `${config.apiBaseUrl}/api/v1/assessments/${encodeURIComponent(assessmentId())}/coaching`,
      signal: current.signal,
      headers: () => {
        sent = accessToken()
        return sent === undefined ? {} : { authorization: `Bearer ${sent}` }
      },
      onUnauthorized: () => run(Effect.flatMap(Session, (session) => session.renew(sent))),
      onState: (stream) => {
        if (stream === "reconnecting") setState((s) => (s.phase === "done" || s.phase === "error" ? s : { ...s, phase: "reconnecting" }))
        if (stream === "open") setState((s) => (s.phase === "reconnecting" ? { ...s, phase: "streaming" } : s))
      },
      onEvent: (event) => {
        const coaching = decodeCoachingEvent(event)
        if (coaching === undefined) return false
        setState((s) => applyCoachingEvent(s, coaching))
        return isTerminal(coaching)
      }
    }).then((end) => {
      if (controller !== current) return
      if (end._tag === "failed") {
        const failure = failureOf(end)
        setState((s) => ({ ...s, phase: "error", failure }))
        return fail(failure)
      }
      if (end._tag !== "finished") return
      const finished = state()
      if (finished.phase === "error" && finished.failure !== undefined) return fail(finished.failure)
      if (finished.phase === "done" && Date.now() - startedAt > notableMs) {
        toaster.show("success", { title: "Your coaching is ready", key: "coaching" })
      }
    })
  }

  onCleanup(() => {
    controller?.abort()
    controller = undefined
  })

  return { state, start }
}
