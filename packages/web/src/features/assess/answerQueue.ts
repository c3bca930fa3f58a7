import type { AnswerStore, QueuedAnswer } from "./answerStore.js"

/**
 * Saves a quiz's answers as they are given, and keeps trying until the server has them.
 *
 * - One waiting answer per question: answering again replaces it (the last value wins); giving
 *   the same value again while it waits changes nothing, so a double click sends one request.
 * - Each answer given gets its own idempotency key, and every retry of it reuses that key: if a
 *   request reached the server but its response was lost, the retry is answered with the
 *   original response instead of being applied twice.
 * - One request at a time, oldest answer first, so a question's answers reach the server in the
 *   order they were given.
 * - A failure that may pass (network, 429, 5xx) waits and retries with jittered exponential
 *   backoff; `flush` skips the wait (the browser came back online). A refusal (the assessment
 *   was completed meanwhile, the question does not exist) drops the answer and reports it.
 * - The waiting answers live in the `AnswerStore` (localStorage), which is read afresh before
 *   each request: answers survive a reload, and tabs of the same browser share them.
 *
 * Free of the DOM and of timers' globals (injected), so it is unit-tested with a fake clock.
 */

export type SendOutcome =
  | { readonly _tag: "saved" }
  /** May succeed later; `afterMs` when the server said how long to wait (`Retry-After`). */
  | { readonly _tag: "retry"; readonly error: unknown; readonly afterMs?: number | undefined }
  /** Will never succeed: drop the answer. */
  | { readonly _tag: "rejected"; readonly error: unknown }

/**
 * A question's save state: `saving` (being sent or about to be), `queued` (waiting to retry
 * after a failure), `saved`, `failed` (refused by the server).
 */
export type AnswerState = "saving" | "queued" | "saved" | "failed"

export interface QueueSnapshot {
  /** Answers not yet saved, oldest first. */
  readonly pending: ReadonlyArray<QueuedAnswer>
  readonly states: Readonly<Record<string, AnswerState>>
  /** When the next retry is due (ms since the epoch), while waiting after a failure. */
  readonly retryAt: number | undefined
}

export interface AnswerQueueOptions {
  readonly store: AnswerStore
  readonly send: (answer: QueuedAnswer) => Promise<SendOutcome>
  /** A fresh idempotency key (a UUID). */
  readonly newKey: () => string
  readonly now?: () => number
  readonly setTimer?: (f: () => void, ms: number) => unknown
  readonly clearTimer?: (handle: unknown) => void
  /** 0 ≤ r < 1, for jitter. */
  readonly random?: () => number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  readonly onSaved?: (answer: QueuedAnswer) => void
  readonly onRejected?: (answer: QueuedAnswer, error: unknown) => void
  readonly onRetry?: (answer: QueuedAnswer, error: unknown, delayMs: number) => void
}

export interface AnswerQueue {
  /** Records an answer and starts saving it; returns the waiting entry (the existing one for a repeat). */
  readonly give: (questionId: string, value: number) => QueuedAnswer
  /** Try now, without waiting out a backoff (back online, tab shown again). */
  readonly flush: () => void
  /** Re-read the store (another tab changed it) and send what waits, unless already busy or backing off. */
  readonly refresh: () => void
  readonly snapshot: () => QueueSnapshot
  readonly subscribe: (listener: (snapshot: QueueSnapshot) => void) => () => void
  /** Stops sending and forgets its timers; what waits stays in the store for next time. */
  readonly dispose: () => void
}

/** Exponential backoff from `base`, capped at `max`, with "equal jitter" (half fixed, half random). */
export const backoffDelay = (failures: number, base: number, max: number, random: number): number => {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, failures - 1))
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}

const byAge = (a: QueuedAnswer, b: QueuedAnswer) => a.givenAt - b.givenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

export const createAnswerQueue = (options: AnswerQueueOptions): AnswerQueue => {
  const { store, send } = options
  const now = options.now ?? Date.now
  const setTimer = options.setTimer ?? ((f, ms) => globalThis.setTimeout(f, ms))
  const clearTimer = options.clearTimer ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>))
  const random = options.random ?? Math.random
  const baseDelayMs = options.baseDelayMs ?? 1000
  const maxDelayMs = options.maxDelayMs ?? 30_000

  let sending: QueuedAnswer | undefined
  let timer: unknown
  let retryAt: number | undefined
  let failures = 0
  let disposed = false
  /** How the last settled answer of each question ended, for questions with nothing waiting. */
  const settled = new Map<string, "saved" | "failed">()
  const listeners = new Set<(snapshot: QueueSnapshot) => void>()

  const pending = (): ReadonlyArray<QueuedAnswer> => [...store.read()].sort(byAge)

  const snapshot = (): QueueSnapshot => {
    const waiting = pending()
    const states: Record<string, AnswerState> = {}
    for (const [questionId, outcome] of settled) states[questionId] = outcome
    // Waiting after a failure: queued; otherwise being sent, or next in line.
    for (const answer of waiting) states[answer.questionId] = retryAt === undefined ? "saving" : "queued"
    if (sending !== undefined) states[sending.questionId] = "saving"
    return { pending: waiting, states, retryAt }
  }

  const emit = () => {
    if (disposed) return
    const current = snapshot()
    for (const listener of listeners) listener(current)
  }

  /** Removes the answer from the store, unless a newer answer to its question replaced it. */
  const remove = (answer: QueuedAnswer) => {
    store.write(store.read().filter((a) => a.key !== answer.key))
  }

  const pump = () => {
    if (disposed || sending !== undefined || timer !== undefined) return
    const next = pending()[0]
    if (next === undefined) return emit()
    sending = next
    emit()
    send(next).then(
      (outcome) => settle(next, outcome),
      (error: unknown) => settle(next, { _tag: "retry", error })
    )
  }

  const settle = (answer: QueuedAnswer, outcome: SendOutcome) => {
    sending = undefined
    if (disposed) return
    switch (outcome._tag) {
      case "saved":
        failures = 0
        remove(answer)
        settled.set(answer.questionId, "saved")
        options.onSaved?.(answer)
        return pump()
      case "rejected":
        failures = 0
        remove(answer)
        settled.set(answer.questionId, "failed")
        options.onRejected?.(answer, outcome.error)
        return pump()
      case "retry": {
        failures += 1
        const delay = outcome.afterMs ?? backoffDelay(failures, baseDelayMs, maxDelayMs, random())
        retryAt = now() + delay
        timer = setTimer(() => {
          timer = undefined
          retryAt = undefined
          pump()
        }, delay)
        options.onRetry?.(answer, outcome.error, delay)
        return emit()
      }
    }
  }

  const give = (questionId: string, value: number): QueuedAnswer => {
    const waiting = store.read()
    const existing = waiting.find((a) => a.questionId === questionId)
    if (existing !== undefined && existing.value === value) return existing
    const answer: QueuedAnswer = { questionId, value, key: options.newKey(), givenAt: now() }
    store.write([...waiting.filter((a) => a.questionId !== questionId), answer])
    settled.delete(questionId)
    pump()
    emit()
    return answer
  }

  const flush = () => {
    if (timer !== undefined) clearTimer(timer)
    timer = undefined
    retryAt = undefined
    pump()
    emit()
  }

  // Answers left waiting by an earlier visit (or another tab) go out as soon as the queue exists.
  queueMicrotask(pump)

  return {
    give,
    flush,
    refresh: () => {
      pump()
      emit()
    },
    snapshot,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    dispose: () => {
      disposed = true
      if (timer !== undefined) clearTimer(timer)
      timer = undefined
      listeners.clear()
    }
  }
}
