import { Chunk, Clock, Effect, Option, Stream } from "effect"
import { type LlmError, LlmStreamInterrupted, LlmTimeout, type LlmTimeoutPhase } from "./Errors.js"
import type { ProviderName, StreamEvent, Timeouts } from "./Provider.js"

/** One server-sent event: its `event:` name (if any) and its `data:` lines joined by "\n". */
export interface SseEvent {
  readonly event: string | undefined
  readonly data: string
}

/**
 * An incremental server-sent events decoder (the WHATWG rules that matter here: `\n`, `\r\n` or
 * `\r` line ends, `field: value` lines, comments, multi-line data, an event per blank line). An
 * event cut off by the end of the body (no blank line after it) is dropped, as the spec says.
 */
export class SseDecoder {
  readonly #text = new TextDecoder()
  #buffer = ""
  #event: string | undefined = undefined
  #data: Array<string> = []

  push(bytes: Uint8Array): ReadonlyArray<SseEvent> {
    return this.#lines(this.#text.decode(bytes, { stream: true }), false)
  }

  end(): ReadonlyArray<SseEvent> {
    return this.#lines(this.#text.decode(), true)
  }

  #lines(text: string, final: boolean): ReadonlyArray<SseEvent> {
    this.#buffer += text
    const out: Array<SseEvent> = []
    let start = 0
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer.charCodeAt(i)
      if (c !== 10 && c !== 13) continue
      // A "\r" at the very end may be the first half of "\r\n": wait for more input.
      if (c === 13 && i === this.#buffer.length - 1 && !final) break
      this.#line(this.#buffer.slice(start, i), out)
      if (c === 13 && this.#buffer.charCodeAt(i + 1) === 10) i++
      start = i + 1
    }
    this.#buffer = this.#buffer.slice(start)
    if (final) {
      this.#buffer = ""
      this.#event = undefined
      this.#data = []
    }
    return out
  }

  #line(line: string, out: Array<SseEvent>): void {
    if (line === "") {
      if (this.#data.length > 0) out.push({ event: this.#event, data: this.#data.join("\n") })
      this.#event = undefined
      this.#data = []
      return
    }
    if (line.startsWith(":")) return
    const colon = line.indexOf(":")
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? "" : line.slice(colon + 1)
    if (value.startsWith(" ")) value = value.slice(1)
    if (field === "event") this.#event = value
    else if (field === "data") this.#data.push(value)
  }
}

/** What a provider's protocol makes of one event. */
export type Step =
  /** Events to emit (text deltas, possibly none). */
  | { readonly _tag: "Emit"; readonly events: ReadonlyArray<StreamEvent> }
  /** The terminator: emit these (ending with `Done`) and stop reading. */
  | { readonly _tag: "Finish"; readonly events: ReadonlyArray<StreamEvent> }
  /** An in-band error event. */
  | { readonly _tag: "Fail"; readonly error: LlmError }

export const emit = (...events: ReadonlyArray<StreamEvent>): Step => ({ _tag: "Emit", events })
export const finish = (...events: ReadonlyArray<StreamEvent>): Step => ({ _tag: "Finish", events })
export const fail = (error: LlmError): Step => ({ _tag: "Fail", error })

export interface SseStreamOptions {
  readonly provider: ProviderName
  readonly timeouts: Timeouts
  /** Sends the request (through the SDK, `.asResponse()`) and resolves with the response once its headers are in. */
  readonly open: (signal: AbortSignal) => Promise<Response>
  /** Maps a failure of `open` (an SDK error: status, connection, its own headers timeout). */
  readonly openError: (cause: unknown) => LlmError
  /**
   * A fresh protocol state machine per stream: one event in, a step out. It may throw (an event
   * whose data is not JSON, an unexpected shape): that is a broken stream, `LlmStreamInterrupted`.
   */
  readonly protocol: () => (event: SseEvent) => Step
}

/**
 * Runs one streamed request: headers (within `headersMs`, the SDK's timeout, and `totalMs`),
 * then the body read chunk by chunk with the first-token, idle and total deadlines; SSE events go
 * through the provider's protocol. A body that ends before the protocol saw its terminator fails
 * with `LlmStreamInterrupted`; so does a socket error or a malformed event. Closing the stream's
 * scope (end, failure, interruption, a consumer that stops early) aborts the HTTP request.
 */
export const sseStream = (options: SseStreamOptions): Stream.Stream<StreamEvent, LlmError> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const { provider, timeouts } = options
    const startedAt = yield* Clock.currentTimeMillis
    const controller = new AbortController()
    yield* Effect.addFinalizer(() => Effect.sync(() => controller.abort()))

    const timeout = (phase: LlmTimeoutPhase, ms: number) => () =>
      new LlmTimeout({ provider, phase, message: `${provider}: no ${phaseText[phase]} within ${ms} ms` })

    const response = yield* Effect.tryPromise({ try: () => options.open(controller.signal), catch: options.openError }).pipe(
      Effect.timeoutFail({ duration: timeouts.totalMs, onTimeout: timeout("total", timeouts.totalMs) })
    )
    const headersAt = yield* Clock.currentTimeMillis
    const body = response.body
    if (body === null) {
      return yield* new LlmStreamInterrupted({ provider, message: `${provider}: the response has no body`, receivedChunks: 0 })
    }
    const reader = body.getReader()
    yield* Effect.addFinalizer(() => Effect.sync(() => reader.cancel().catch(() => undefined)))

    const decoder = new SseDecoder()
    const step = options.protocol()
    let received = 0
    let finished = false
    /** A failure that came after deltas of the same read: those go out first, the failure on the next pull. */
    let failed: LlmError | undefined

    const interrupted = (message: string, cause?: unknown) =>
      new LlmStreamInterrupted({ provider, message: `${provider}: ${message}`, receivedChunks: received, cause })

    /** The deadline of the next read: the phase's, or the total's when that comes first. */
    const deadline = (now: number): { readonly ms: number; readonly phase: LlmTimeoutPhase; readonly limit: number } => {
      const totalLeft = startedAt + timeouts.totalMs - now
      const phaseLeft = received === 0 ? headersAt + timeouts.firstTokenMs - now : timeouts.idleMs
      const phase: LlmTimeoutPhase = received === 0 ? "first-token" : "idle"
      return totalLeft <= phaseLeft
        ? { ms: totalLeft, phase: "total", limit: timeouts.totalMs }
        : { ms: phaseLeft, phase, limit: phase === "idle" ? timeouts.idleMs : timeouts.firstTokenMs }
    }

    /** Applies the protocol to decoded events; the events to emit, or the failure. */
    const apply = (events: ReadonlyArray<SseEvent>, out: Array<StreamEvent>): LlmError | undefined => {
      for (const event of events) {
        let result: Step
        try {
          result = step(event)
        } catch (cause) {
          return interrupted(`malformed stream event (${event.event ?? "message"}): ${messageText(cause)}`, cause)
        }
        if (result._tag === "Fail") return result.error
        for (const e of result.events) {
          if (e._tag === "Delta") received++
          out.push(e)
        }
        if (result._tag === "Finish") {
          finished = true
          return undefined
        }
      }
      return undefined
    }

    /** Reads until there is something to emit, the terminator, or a failure. */
    const readBatch: Effect.Effect<ReadonlyArray<StreamEvent>, LlmError> = Effect.gen(function*() {
      const out: Array<StreamEvent> = []
      while (out.length === 0 && !finished) {
        const d = deadline(yield* Clock.currentTimeMillis)
        const read = yield* Effect.tryPromise({
          try: () => reader.read(),
          catch: (cause) => interrupted(`the stream broke: ${messageText(cause)}`, cause)
        }).pipe(Effect.timeoutFail({ duration: Math.max(0, d.ms), onTimeout: timeout(d.phase, d.limit) }))
        const failure = apply(read.done ? decoder.end() : decoder.push(read.value), out) ??
          (read.done && !finished
            ? interrupted(`the stream ended without its terminator after ${received} chunks`)
            : undefined)
        if (failure !== undefined) {
          if (out.length === 0) return yield* Effect.fail(failure)
          failed = failure
          return out
        }
      }
      return out
    })

    return Stream.repeatEffectChunkOption(
      Effect.suspend(() =>
        failed !== undefined
          ? Effect.fail(Option.some(failed))
          : finished
          ? Effect.fail(Option.none())
          : readBatch.pipe(Effect.mapBoth({ onFailure: Option.some, onSuccess: Chunk.fromIterable }))
      )
    )
  }))

const phaseText: Record<LlmTimeoutPhase, string> = {
  headers: "response headers",
  "first-token": "first token",
  idle: "chunk",
  total: "complete answer"
}

const messageText = (u: unknown): string => {
  if (!(u instanceof Error)) return String(u)
  const cause = u.cause instanceof Error ? ` (${u.cause.message})` : ""
  return `${u.message}${cause}`
}
