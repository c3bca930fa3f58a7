/** Drives one response through its plan: delays, error statuses, pacing and interruptions. */
import type { IncomingMessage, ServerResponse } from "node:http"
import { errorFor, errorForStatus, type ErrorResponse } from "./errors.js"
import type { ErrorName, Plan, Provider } from "./faults.js"
import type { Journal, JournalEntry, Outcome } from "./journal.js"

/** What can be changed at runtime (admin API, `configure`). */
export interface Settings {
  /** Delay before the response headers of every request, in ms (default 0). */
  readonly latencyMs: number
  /** Pace of streamed tokens (and of the time a non-streamed answer takes); 0: as fast as possible. */
  readonly tokensPerSecond: number
  /** The default reply text. */
  readonly reply: string
  /** Accepted API keys; undefined: every non-empty key is accepted. */
  readonly apiKeys: ReadonlyArray<string> | undefined
}

export interface Exchange {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly provider: Provider
  readonly requestId: string
  readonly model: string | undefined
  readonly plan: Plan
  readonly settings: Settings
  readonly journal: Journal
  readonly entry: JournalEntry
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal
  readonly startedAt: number
}

export interface StreamShape {
  readonly headers: Readonly<Record<string, string>>
  /** Events before the first token (OpenAI: the role chunk; Anthropic: message_start, content_block_start, ping). */
  readonly preamble: ReadonlyArray<string>
  /** One event per token. */
  readonly tokens: ReadonlyArray<string>
  /** Events after the last token, through the terminator. */
  readonly epilogue: ReadonlyArray<string>
  readonly errorEvent: (error: ErrorName) => string
  readonly malformedEvent: string
}

/** Resolves after `ms`, or at once when `signal` aborts; true when it aborted. */
export const sleep = (ms: number, signal: AbortSignal): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(true)
    if (ms <= 0) return resolve(false)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve(false)
    }, ms)
    signal.addEventListener("abort", onAbort, { once: true })
  })

const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener("abort", () => resolve(), { once: true })
  })

const finish = (ex: Exchange, outcome: Outcome, status: number | undefined): void => {
  ex.entry.outcome = outcome
  if (status !== undefined) ex.entry.status = status
  ex.entry.durationMs = Date.now() - ex.startedAt
  ex.journal.notify()
}

const reset = (ex: Exchange): void => {
  ex.req.socket.resetAndDestroy()
  finish(ex, "reset", undefined)
}

const baseHeaders = (ex: Exchange): Record<string, string> =>
  ex.provider === "openai"
    ? { "x-request-id": ex.requestId, "openai-version": "2020-10-01", "openai-processing-ms": "1" }
    : { "request-id": ex.requestId, "anthropic-organization-id": "00000000-0000-4000-8000-000000000000" }

export const sendJson = (
  ex: Pick<Exchange, "res" | "provider" | "requestId">,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {}
): void => {
  const text = typeof body === "string" ? body : JSON.stringify(body)
  ex.res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers
  })
  ex.res.end(text)
}

export const sendError = (ex: Exchange, error: ErrorResponse): void => {
  sendJson(ex, error.status, error.body, { ...baseHeaders(ex), ...error.headers })
  finish(ex, "error", error.status)
}

/** Delays, resets and scripted statuses that happen before any headers; false when the request is answered. */
const beforeHeaders = async (ex: Exchange): Promise<boolean> => {
  if (await sleep(ex.settings.latencyMs + ex.plan.delayHeadersMs, ex.signal)) {
    finish(ex, "client-closed", undefined)
    return false
  }
  if (ex.plan.resetBeforeHeaders) {
    reset(ex)
    return false
  }
  const http = ex.plan.http
  if (http !== undefined) {
    const base = http.error !== undefined
      ? errorFor(ex.provider, http.error, ex.requestId, ex.model)
      : errorForStatus(ex.provider, http.status, ex.requestId)
    sendError(ex, {
      status: http.error !== undefined ? base.status : http.status,
      body: http.body === undefined ? base.body : http.body,
      headers: { ...base.headers, ...http.headers }
    })
    return false
  }
  return true
}

const tokenInterval = (settings: Settings): number =>
  settings.tokensPerSecond > 0 ? 1000 / settings.tokensPerSecond : 0

/** Answers a non-streamed request: one JSON body after the time its tokens would take. */
export const runJson = async (ex: Exchange, body: unknown, tokens: number): Promise<void> => {
  if (!(await beforeHeaders(ex))) return
  if (ex.plan.interrupt?.kind === "stall") {
    ex.entry.outcome = "stalled"
    ex.journal.notify()
    await untilAborted(ex.signal)
    finish(ex, "stalled", undefined)
    return
  }
  if (await sleep(ex.plan.delayFirstTokenMs + tokens * tokenInterval(ex.settings), ex.signal)) {
    finish(ex, "client-closed", undefined)
    return
  }
  sendJson(ex, 200, body, baseHeaders(ex))
  ex.entry.chunksSent = tokens
  finish(ex, "completed", 200)
}

/** Answers a streamed request: SSE events paced by the token rate, interrupted as scripted. */
export const runStream = async (ex: Exchange, shape: StreamShape): Promise<void> => {
  if (!(await beforeHeaders(ex))) return
  const { res, plan, signal } = ex
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    ...baseHeaders(ex),
    ...shape.headers
  })
  ex.entry.status = 200
  for (const event of shape.preamble) res.write(event)
  if (await sleep(plan.delayFirstTokenMs, signal)) return finish(ex, "client-closed", undefined)
  const interval = tokenInterval(ex.settings)
  // Token i is due `i × interval` after the first: paced against that schedule, not by sleeping
  // `interval` after each write, because timers round to whole milliseconds (2.5 ms → 2 ms) and
  // the rate would drift above the configured one.
  const firstTokenAt = performance.now()
  const interrupt = plan.interrupt
  for (let i = 0; i <= shape.tokens.length; i++) {
    if (interrupt !== undefined && interrupt.afterChunks === i) {
      switch (interrupt.kind) {
        case "stall":
          ex.entry.outcome = "stalled"
          ex.journal.notify()
          await untilAborted(signal)
          return finish(ex, "stalled", undefined)
        case "reset":
          // Let what was written reach the client first: a reset discards unsent data.
          await new Promise<void>((resolve) => res.write("", () => setImmediate(resolve)))
          return reset(ex)
        case "truncate":
          res.end()
          return finish(ex, "truncated", undefined)
        case "malformed":
          res.end(shape.malformedEvent)
          return finish(ex, "malformed", undefined)
        case "inBandError":
          res.end(shape.errorEvent(interrupt.error))
          return finish(ex, "in-band-error", undefined)
      }
    }
    const token = shape.tokens[i]
    if (token === undefined) break
    if (i > 0 && (await sleep(Math.ceil(firstTokenAt + i * interval - performance.now()), signal))) {
      return finish(ex, "client-closed", undefined)
    }
    res.write(token)
    ex.entry.chunksSent = i + 1
  }
  res.end(shape.epilogue.join(""))
  finish(ex, "completed", undefined)
}

/** One server-sent event, as the providers write them. */
export const sse = (data: unknown, event?: string): string =>
  `${event === undefined ? "" : `event: ${event}\n`}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`
