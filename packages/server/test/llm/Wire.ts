import { Effect, Fiber, Option, TestClock } from "effect"
import { isLlmError, LlmConnectionFailed, type LlmError, LlmOverloaded } from "../../src/Llm/Errors.js"
import { Delta, Done, type ProviderName, type Timeouts } from "../../src/Llm/Provider.js"
import { emit, fail, finish, type SseEvent, type SseStreamOptions, type Step } from "../../src/Llm/SseStream.js"

/**
 * An in-memory HTTP exchange for `openSse`/`sseStream`, scripted by the test: the response's
 * headers come when `respond()` is called, body bytes when `send()` is, and the test sees whether
 * the request was aborted and the body cancelled. No socket, no timer: with `TestClock`, time
 * passes only when the test says so.
 */
export interface Wire {
  readonly options: (timeouts: Timeouts, provider?: ProviderName) => SseStreamOptions
  /** Sends the response headers (resolves the request). */
  readonly respond: () => void
  /** Fails the request before its headers (an `LlmError` stands for the status error it maps from). */
  readonly refuse: (cause: unknown) => void
  readonly send: (text: string) => void
  readonly end: () => void
  /** Breaks the body (a socket reset after the headers). */
  readonly break: (cause: Error) => void
  readonly aborted: () => boolean
  readonly cancelled: () => boolean
  /** Requests sent so far. */
  readonly requests: () => number
}

export const makeWire = (): Wire => {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let signal: AbortSignal | undefined
  let cancelled = false
  let requests = 0
  let answer: { resolve: (r: Response) => void; reject: (e: unknown) => void } | undefined
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c
    },
    cancel: () => {
      cancelled = true
    }
  })
  return {
    options: (timeouts, provider = "openai") => ({
      provider,
      timeouts,
      open: (s) => {
        requests++
        signal = s
        return new Promise<Response>((resolve, reject) => {
          answer = { resolve, reject }
          s.addEventListener("abort", () => reject(new Error("aborted")), { once: true })
        })
      },
      // An LlmError stands for the SDK error it would be mapped from (a 401, a 429 with retry-after…).
      openError: (cause) => (isLlmError(cause) ? cause : new LlmConnectionFailed({ provider, message: String(cause), cause })),
      protocol: testProtocol(provider)
    }),
    respond: () => answer?.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
    refuse: (cause) => answer?.reject(cause),
    send: (text) => controller?.enqueue(encoder.encode(text)),
    end: () => controller?.close(),
    break: (cause) => controller?.error(cause),
    aborted: () => signal?.aborted === true,
    cancelled: () => cancelled,
    requests: () => requests
  }
}

/**
 * A small protocol over `data:` lines: `[DONE]` ends the stream (usage 3 in, 5 out), `ping` is
 * an event with no text, `overloaded` an in-band error, `{` starts JSON that must parse (its
 * `text` is a delta), anything else is a text delta.
 */
export const testProtocol = (provider: ProviderName) => (): (event: SseEvent) => Step => (event) => {
  if (event.data === "[DONE]") return finish(Done("stop", { inputTokens: 3, outputTokens: 5 }))
  if (event.data === "ping") return emit()
  if (event.data.startsWith("{")) return emit(Delta(String((JSON.parse(event.data) as { text: unknown }).text)))
  if (event.data === "overloaded") return fail(inBand(provider))
  return emit(Delta(event.data))
}

const inBand = (provider: ProviderName): LlmError =>
  new LlmOverloaded({ provider, message: `${provider}: in-band stream error: overloaded` })

/** One SSE event carrying `data`. */
export const event = (data: string) => `data: ${data}\n\n`

/** One turn of the event loop: promise callbacks (a read, a response) run; no time passes on any clock. */
export const nextTurn = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Lets forked fibers and pending I/O callbacks run, a few turns of the event loop. */
export const settle = Effect.repeatN(nextTurn, 4)

/**
 * Moves the `TestClock` by `stepMs` per turn of the event loop until `fiber` is done (bounded):
 * for waits whose start the test cannot observe (a response being read from a socket).
 */
export const advanceUntilDone = <A, E>(fiber: Fiber.Fiber<A, E>, stepMs: number, maxSteps = 5_000) =>
  Effect.gen(function*() {
    for (let i = 0; i < maxSteps; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return done.value
      yield* TestClock.adjust(stepMs)
      yield* nextTurn
    }
    return yield* Fiber.await(fiber)
  })
