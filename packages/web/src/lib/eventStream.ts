import { createSseDecoder, type SseEvent } from "./sse.js"

/**
 * Follows a Server-Sent Events stream with `fetch`, so the request can carry
 * `Authorization: Bearer` (EventSource cannot). Like EventSource, it reconnects when the network
 * drops or the server closes the stream before its last event, sending the last event id it
 * received as `Last-Event-ID` so the server resumes after it, and waits the server's `retry:`
 * delay first (doubling while attempts keep failing). Unlike EventSource, it stops at the event
 * the caller says is the last one, and reports HTTP failures with their body.
 */

export type StreamState = "connecting" | "open" | "reconnecting"

export type StreamEnd =
  /** The caller's `onEvent` said an event was the last one. */
  | { readonly _tag: "finished" }
  /** The signal was aborted (the page went away). */
  | { readonly _tag: "aborted" }
  /**
   * The server refused (`status` and its decoded JSON `body`), or the network kept failing
   * (`status` undefined).
   */
  | {
    readonly _tag: "failed"
    readonly status: number | undefined
    readonly body: unknown
    /** The refusal's `Retry-After`, in ms, when it had one. */
    readonly retryAfterMs?: number | undefined
  }

export interface EventStreamOptions {
  readonly url: string
  /** Headers for each attempt, read afresh every time (an access token rotates). */
  readonly headers?: () => Readonly<Record<string, string>>
  /** Resume after this event id (sent as `Last-Event-ID` on the first request too). */
  readonly lastEventId?: string | undefined
  readonly signal: AbortSignal
  /** Each event as it is parsed; return true when it is the last one (no reconnecting after it). */
  readonly onEvent: (event: SseEvent) => boolean
  readonly onState?: (state: StreamState) => void
  /** Answered 401: renew the credentials; true to try once more. */
  readonly onUnauthorized?: () => Promise<boolean>
  /** Consecutive failed attempts before giving up. Default 6. */
  readonly maxAttempts?: number
  /** The delay before reconnecting until the server sends `retry:`. Default 1 s. */
  readonly retryMs?: number
  /** Upper bound of the growing delay. Default 30 s. */
  readonly maxRetryMs?: number
  readonly fetch?: typeof fetch
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener("abort", done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener("abort", done)
  })

/** Statuses that say "not now" rather than "no": worth another attempt. */
const transientStatuses: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504])

/** `Retry-After` in seconds (the HTTP-date form is rare for APIs and falls back to the backoff). */
const retryAfterMs = (response: Response): number | undefined => {
  const raw = response.headers.get("retry-after")
  return raw !== null && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) * 1000 : undefined
}

const bodyOf = async (response: Response): Promise<unknown> => {
  try {
    const text = await response.text()
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  } catch {
    return undefined
  }
}

export const followEventStream = async (options: EventStreamOptions): Promise<StreamEnd> => {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const sleep = options.sleep ?? abortableSleep
  const maxAttempts = options.maxAttempts ?? 6
  const maxRetryMs = options.maxRetryMs ?? 30_000
  const { signal } = options
  let retryMs = options.retryMs ?? 1000
  let lastEventId = options.lastEventId ?? ""
  let failures = 0
  let renewed = false
  const aborted: StreamEnd = { _tag: "aborted" }

  /**
   * Counts a failed attempt and waits before the next; false when it is time to give up. The
   * caller hears "reconnecting" before the wait, not after it: the connection is lost already.
   */
  const backOff = async (serverDelay?: number): Promise<boolean> => {
    failures += 1
    if (failures >= maxAttempts) return false
    options.onState?.("reconnecting")
    const delay = serverDelay ?? Math.min(maxRetryMs, retryMs * 2 ** (failures - 1))
    await sleep(delay, signal)
    return true
  }

  options.onState?.("connecting")
  for (;;) {
    if (signal.aborted) return aborted

    let response: Response
    try {
      response = await doFetch(options.url, {
        method: "GET",
        headers: {
          ...options.headers?.(),
          accept: "text/event-stream",
          ...(lastEventId === "" ? {} : { "last-event-id": lastEventId })
        },
        cache: "no-store",
        signal
      })
    } catch {
      if (signal.aborted) return aborted
      if (!(await backOff())) return { _tag: "failed", status: undefined, body: undefined }
      continue
    }

    if (response.status === 401 && options.onUnauthorized !== undefined && !renewed) {
      renewed = true
      await bodyOf(response)
      if (await options.onUnauthorized()) continue
      return { _tag: "failed", status: 401, body: undefined }
    }
    if (!response.ok || response.body === null) {
      const body = await bodyOf(response)
      if (signal.aborted) return aborted
      const serverDelay = retryAfterMs(response)
      if (transientStatuses.has(response.status) && (await backOff(serverDelay))) continue
      return { _tag: "failed", status: response.status, body, retryAfterMs: serverDelay }
    }

    options.onState?.("open")
    const decoder = createSseDecoder(lastEventId)
    const reader = response.body.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        for (const item of decoder.push(value)) {
          if (item._tag === "retry") retryMs = item.ms
          if (item._tag !== "event") continue
          failures = 0
          renewed = false
          lastEventId = item.lastEventId
          if (options.onEvent(item)) {
            await reader.cancel().catch(() => undefined)
            return { _tag: "finished" }
          }
        }
      }
    } catch {
      // The connection dropped mid-stream: reconnect below, after the last event we saw.
    }
    if (signal.aborted) return aborted
    lastEventId = decoder.lastEventId()
    if (!(await backOff())) return { _tag: "failed", status: undefined, body: undefined }
  }
}
