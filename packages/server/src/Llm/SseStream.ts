import { Chunk, Effect, Option, type Scope, Stream } from "effect"
import { phaseTimeout } from "./Deadlines.js"
import { type LlmError, LlmStreamInterrupted, type LlmTimeout, type LlmTimeoutPhase } from "./Errors.js"
import { type ProviderName, type StreamEvent, type StreamPull, streamOfPull, type Timeouts } from "./Provider.js"

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
 * Opens one streamed request and returns its pull (see {@link sseStream} for the behaviour).
 * The request is sent at once; closing the scope aborts it unless its body was read to the end.
 *
 * The deadlines cost nothing per chunk: one watchdog fiber per stream sleeps on the `Clock`
 * (so `TestClock` drives it) until the deadline of the read in progress, which each read only
 * moves by writing a number. A pending read is a single promise callback, not a race of fibers.
 */
export const openSse = (options: SseStreamOptions): Effect.Effect<StreamPull, never, Scope.Scope> =>
  Effect.gen(function*() {
    const { provider, timeouts } = options
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()
    const startedAt = now()
    const totalAt = startedAt + timeouts.totalMs
    const controller = new AbortController()

    /** The response, settled either way (never a rejected promise nobody awaits). */
    let opened: Promise<Opened>
    try {
      opened = options.open(controller.signal).then(
        (response): Opened => ({ _tag: "Response", response }),
        (cause: unknown): Opened => ({ _tag: "Error", cause })
      )
    } catch (cause) {
      // Refused before it was sent (an SDK's own validation): a typed failure on the first pull.
      opened = Promise.resolve({ _tag: "Error", cause })
    }
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
    const decoder = new SseDecoder()
    const step = options.protocol()
    let received = 0
    /** The terminator was seen, or the stream failed: nothing more to read. */
    let ended = false
    /** The terminator was seen: what is left of the body is its end. */
    let terminated = false
    /** The body was read to its end (the connection can be reused: no abort). */
    let bodyDone = false
    /** A failure that came after deltas of the same read: those go out first, the failure on the next pull. */
    let failed: LlmError | undefined

    /** The pull in progress, until it is settled (by the wire, a deadline or an interruption). */
    let waiting: Resume | undefined
    // The deadline of the wait in progress (the headers, or a read), and the watchdog enforcing it.
    let deadlineAt = 0
    let phase: LlmTimeoutPhase = "headers"

    /** Arms the deadline of the next wait: the phase's, or the total's when that comes first. */
    const arm = (next: Exclude<LlmTimeoutPhase, "total">, at: number) => {
      if (totalAt <= at) {
        deadlineAt = totalAt
        phase = "total"
      } else {
        deadlineAt = at
        phase = next
      }
    }
    arm("headers", startedAt + timeouts.headersMs)

    /** Settles the pull in progress. */
    const settle = (result: StreamPull) => {
      const resume = waiting
      waiting = undefined
      resume?.(result)
    }
    /** Ends the stream with `error`: now for the pull in progress, else on the next one. */
    const fail = (error: LlmError) => {
      ended = true
      if (waiting === undefined) failed = error
      else settle(Effect.fail(Option.some(error)))
    }

    let timedOut: LlmTimeout | undefined
    const expire = () => {
      timedOut = phaseTimeout(provider, phase, timeouts)
      // Stop the upstream request now, not when the caller gets round to closing the stream.
      controller.abort()
      fail(timedOut)
    }

    /**
     * Any deadline armed while the watchdog sleeps is at least `min(firstTokenMs, idleMs)` after
     * the moment it went to sleep (the total's is fixed), so it never sleeps past one.
     */
    const nap = Math.max(1, Math.min(timeouts.firstTokenMs, timeouts.idleMs))
    const watchdog: Effect.Effect<void> = Effect.suspend(() => {
      if (ended) return Effect.void
      const t = now()
      if (waiting !== undefined && t >= deadlineAt) return Effect.sync(expire)
      // Nothing awaited: a wait starting later checks its deadline itself; wake up in time for one.
      const left = waiting !== undefined ? deadlineAt - t : totalAt > t ? totalAt - t : nap
      return Effect.zipRight(Effect.sleep(Math.max(1, Math.min(left, nap))), watchdog)
    })
    yield* Effect.forkScoped(watchdog)
    yield* Effect.addFinalizer(() =>
      Effect.sync(() => {
        ended = true
        if (bodyDone) return
        if (reader !== undefined && terminated) return drain(reader)
        reader?.cancel().catch(() => undefined)
        controller.abort()
      })
    )

    const interrupted = (message: string, cause?: unknown) =>
      new LlmStreamInterrupted({ provider, message: `${provider}: ${message}`, receivedChunks: received, cause })

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
          ended = true
          terminated = true
          return undefined
        }
      }
      return undefined
    }

    // The read loop is plain promise callbacks settling one `Effect.async` per pull: per chunk,
    // one fiber suspension and no Effect combinators (this runs once per token).

    /** Waits for the response headers, then reads. */
    const awaitHeaders = (pull: Resume) => {
      if (now() >= deadlineAt) return expire()
      opened.then((result) => {
        if (waiting !== pull) return
        if (result._tag === "Error") return fail(timedOut ?? options.openError(result.cause))
        const body = result.response.body
        if (body === null) return fail(interrupted("the response has no body"))
        reader = body.getReader()
        arm("first-token", now() + timeouts.firstTokenMs)
        read(reader, pull)
      })
    }

    /** Reads until there is something to emit, the terminator, or a failure. */
    const read = (body: ReadableStreamDefaultReader<Uint8Array>, pull: Resume): void => {
      // Before the first delta the first-token deadline (armed at the headers) holds; after it,
      // each read gets `idleMs` from its start, so a slow consumer is not the provider's fault.
      if (received > 0) arm("idle", now() + timeouts.idleMs)
      if (now() >= deadlineAt) return expire()
      body.read().then((result) => {
        if (waiting !== pull) return
        const out: Array<StreamEvent> = []
        if (result.done) bodyDone = true
        const failure = apply(result.done ? decoder.end() : decoder.push(result.value), out) ??
          (result.done && !ended
            ? interrupted(`the stream ended without its terminator after ${received} chunks`)
            : undefined)
        if (failure !== undefined && out.length === 0) return fail(failure)
        if (failure !== undefined) {
          // The deltas before the failure go out first; the failure ends the next pull.
          ended = true
          failed = failure
        }
        if (out.length > 0) return settle(Effect.succeed(Chunk.unsafeFromArray(out)))
        if (ended) return settle(Effect.fail(Option.none()))
        read(body, pull)
      }, (cause: unknown) => {
        if (waiting === pull) fail(timedOut ?? interrupted(`the stream broke: ${messageText(cause)}`, cause))
      })
    }

    return Effect.async<Chunk.Chunk<StreamEvent>, Option.Option<LlmError>>((resume) => {
      if (failed !== undefined) {
        const error = failed
        failed = undefined
        return resume(Effect.fail(Option.some(error)))
      }
      if (ended) return resume(Effect.fail(Option.none()))
      waiting = resume
      if (reader === undefined) awaitHeaders(resume)
      else read(reader, resume)
      return Effect.sync(() => {
        if (waiting === resume) waiting = undefined
      })
    })
  })

/** Resumes a suspended pull. */
type Resume = (result: StreamPull) => void

/**
 * After the terminator, reads what is left of the body (its end, normally already received) in
 * the background instead of cancelling it: cancelling or aborting a finished response costs
 * exceptions and can cost the keep-alive connection. A body that goes on is cancelled.
 */
const drain = (reader: ReadableStreamDefaultReader<Uint8Array>): void => {
  const cancel = () => void reader.cancel().catch(() => undefined)
  const timer = setTimeout(cancel, 1_000)
  timer.unref()
  reader.read().then((result) => {
    clearTimeout(timer)
    if (!result.done) cancel()
  }, () => clearTimeout(timer))
}

type Opened = { readonly _tag: "Response"; readonly response: Response } | { readonly _tag: "Error"; readonly cause: unknown }

/**
 * Runs one streamed request: headers within `headersMs`, then the body read chunk by chunk with
 * the first-token (from the headers), idle (per read, once text flows) and total deadlines; SSE
 * events go through the provider's protocol. A body that ends before the protocol saw its
 * terminator fails with `LlmStreamInterrupted`; so does a socket error or a malformed event.
 * Closing the stream's scope (end, failure, interruption, a consumer that stops early) aborts
 * the HTTP request, and so does a deadline, at once.
 */
export const sseStream = (options: SseStreamOptions): Stream.Stream<StreamEvent, LlmError> =>
  Stream.unwrapScoped(Effect.map(openSse(options), (pull) => streamOfPull(pull)))

const messageText = (u: unknown): string => {
  if (!(u instanceof Error)) return String(u)
  const cause = u.cause instanceof Error ? ` (${u.cause.message})` : ""
  return `${u.message}${cause}`
}
