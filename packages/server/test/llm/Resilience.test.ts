import { describe, expect, it } from "@effect/vitest"
import { Cause, Clock, Effect, Exit, Fiber, JSONSchema, Option, Schema, Stream, TestClock } from "effect"
import { type BreakersOptions, makeBreakers } from "../../src/Llm/Breaker.js"
import {
  LlmAuthFailed,
  LlmBadRequest,
  LlmConnectionFailed,
  LlmContextTooLong,
  type LlmError,
  LlmOverloaded,
  LlmQuotaExceeded,
  LlmRateLimited,
  LlmServerError,
  LlmStreamInterrupted,
  LlmTimeout
} from "../../src/Llm/Errors.js"
import { type CallRecord, type GatewayEvent, makeGateway } from "../../src/Llm/Gateway.js"
import { type ChatRequest, timeoutsOf } from "../../src/Llm/Provider.js"
import type { RetryOptions } from "../../src/Llm/Retry.js"
import {
  answer,
  breaksAfter,
  failWith,
  hang,
  makeScripted,
  noFirstToken,
  refuses,
  replies,
  silentServer,
  slowBody,
  stallsAfter,
  truncatedAfter
} from "./Scripted.js"
import { advanceUntilDone, settle } from "./Wire.js"

/**
 * The gateway's resilience with `TestClock`: two scripted providers over in-memory wires (the
 * production stream reader and deadlines, no sockets), so every backoff, `retry-after`, phase
 * timeout and breaker cool-down happens when the test moves the clock, and "fast" means "with
 * the clock standing still". The contract suite against llm-fake covers the real wire.
 */
const timeouts = timeoutsOf({ headersMs: 10_000, firstTokenMs: 20_000, idleMs: 5_000, totalMs: 60_000 })
const hello: ChatRequest = { messages: [{ role: "user", content: "Say hello." }] }

const setup = (options: { readonly retry?: RetryOptions; readonly breakers?: BreakersOptions } = {}) =>
  Effect.gen(function*() {
    const a = makeScripted("openai", timeouts)
    const b = makeScripted("anthropic", timeouts)
    const records: Array<CallRecord> = []
    const breakers = yield* makeBreakers(options.breakers ?? {})
    const llm = makeGateway({
      providers: [a.provider, b.provider],
      breakers,
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      observer: { onCall: (record) => Effect.sync(() => void records.push(record)) }
    })
    const states = Effect.map(llm.breakers, (all) => Object.fromEntries(all.map((s) => [s.key, s.state])))
    return { a, b, llm, records, states }
  })

/** Runs `effect` to its end, moving the clock 100 ms per turn of the event loop while it waits. */
const run = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.fork(effect), (fiber) => advanceUntilDone(fiber, 100))

/** Runs `effect` with the clock standing still: it must be done once pending callbacks have run. */
const withoutTime = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const before = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(effect)
    yield* settle
    const exit = yield* Fiber.poll(fiber)
    expect(Option.isSome(exit), "finished without the clock moving").toBe(true)
    expect(yield* Clock.currentTimeMillis).toBe(before)
    return Option.getOrThrow(exit)
  })

/** A stream's events and its error, as the caller saw them. */
const drain = (stream: Stream.Stream<GatewayEvent, LlmError>) =>
  Effect.gen(function*() {
    const events: Array<GatewayEvent> = []
    const exit = yield* Effect.exit(Stream.runForEach(stream, (e) => Effect.sync(() => void events.push(e))))
    const text = events.flatMap((e) => (e._tag === "Delta" ? [e.text] : [])).join("")
    const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
    return { events, text, error, providers: [...new Set(events.map((e) => e.provider))] }
  })

const errorOf = <A>(exit: Exit.Exit<A, LlmError>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

const provider = "openai" as const
const message = "scripted"

describe("gateway resilience (TestClock): retries per error kind", () => {
  const kinds: ReadonlyArray<readonly [string, number, "falls over" | "fails", LlmError]> = [
    ["rate limited", 3, "falls over", new LlmRateLimited({ provider, message })],
    ["overloaded", 3, "falls over", new LlmOverloaded({ provider, message })],
    ["server error", 3, "falls over", new LlmServerError({ provider, message, status: 500 })],
    ["timeout", 3, "falls over", new LlmTimeout({ provider, message, phase: "headers" })],
    ["connection failed", 3, "falls over", new LlmConnectionFailed({ provider, message })],
    ["stream interrupted", 3, "falls over", new LlmStreamInterrupted({ provider, message, receivedChunks: 0 })],
    ["auth (401)", 1, "falls over", new LlmAuthFailed({ provider, message })],
    ["quota", 1, "falls over", new LlmQuotaExceeded({ provider, message })],
    ["bad request", 1, "fails", new LlmBadRequest({ provider, message })],
    ["context too long", 1, "fails", new LlmContextTooLong({ provider, message })]
  ]

  it.effect.each(kinds)("chat, %s: %i attempt(s) on the first provider, then it %s", ([, attempts, then, error]) =>
    Effect.gen(function*() {
      const { a, b, llm, records } = yield* setup()
      a.chats.push(...Array.from({ length: 5 }, () => failWith(error)))
      const exit = yield* run(llm.chat(hello))
      expect(a.chatCalls()).toBe(attempts)
      if (then === "falls over") {
        expect(Exit.isSuccess(exit) && exit.value.provider).toBe("anthropic")
        expect(b.chatCalls()).toBe(1)
        expect(records[0]?.fallbacks).toEqual([{ from: "openai", to: "anthropic", reason: errorTypeOf(error) }])
      } else {
        // (Effect hands back the error wrapped with its span: compare what it says, not its identity.)
        expect(errorOf(exit)).toMatchObject({ _tag: error._tag, message: error.message })
        expect(b.chatCalls()).toBe(0)
      }
      expect(records[0]?.attempts).toBe(attempts + (then === "falls over" ? 1 : 0))
    }))

  it.effect.each(kinds)("stream, %s before the first token: %i attempt(s), then it %s", ([, attempts, then, error]) =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.streams.push(...Array.from({ length: 5 }, () => refuses(error)))
      const exit = yield* run(drain(llm.stream(hello)))
      const result = Exit.isSuccess(exit) ? exit.value : undefined
      expect(a.streamCalls()).toBe(attempts)
      if (then === "falls over") {
        expect(result?.providers).toEqual(["anthropic"])
        expect(result?.text).toBe("anthropic says hi")
      } else {
        expect(result?.error).toMatchObject({ _tag: error._tag, message: error.message })
        expect(b.streamCalls()).toBe(0)
      }
    }))
})

const errorTypeOf = (error: LlmError) =>
  ({
    LlmRateLimited: "rate_limited",
    LlmOverloaded: "overloaded",
    LlmServerError: "server_error",
    LlmTimeout: "timeout",
    LlmConnectionFailed: "connection_failed",
    LlmStreamInterrupted: "stream_interrupted",
    LlmAuthFailed: "auth_failed",
    LlmQuotaExceeded: "quota_exceeded"
  } as Record<string, string>)[error._tag]

describe("gateway resilience (TestClock): fallback and retry-after", () => {
  it.effect("401: no retry, immediate fallback — the caller sees only the second provider, and no time passes", () =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.streams.push(refuses(new LlmAuthFailed({ provider, message: "401 invalid x-api-key" })))
      const result = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(result) && result.value.providers).toEqual(["anthropic"])
      expect(Exit.isSuccess(result) && result.value.text).toBe("anthropic says hi")
      expect(a.streamCalls()).toBe(1)
      expect(b.streamCalls()).toBe(1)
    }))

  it.effect("retry-after is honoured: the retry waits exactly that long, on the same provider", () =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.chats.push(failWith(new LlmRateLimited({ provider, message: "429", retryAfterMs: 3_000 })))
      const fiber = yield* Effect.fork(llm.chat(hello))
      yield* settle
      yield* TestClock.adjust(2_999)
      yield* settle
      expect(a.chatCalls()).toBe(1)
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(1)
      yield* settle
      const answer = yield* Fiber.join(fiber)
      expect(answer.provider).toBe("openai")
      expect(a.chatCalls()).toBe(2)
      expect(b.chatCalls()).toBe(0)
    }))

  it.effect("a retry-after beyond the request's budget: no wait, fast fallback", () =>
    Effect.gen(function*() {
      const { a, b, llm, records } = yield* setup({ retry: { budgetMs: 10_000 } })
      a.streams.push(refuses(new LlmRateLimited({ provider, message: "429", retryAfterMs: 30_000 })))
      const result = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(result) && result.value.providers).toEqual(["anthropic"])
      expect(a.streamCalls()).toBe(1)
      expect(b.streamCalls()).toBe(1)
      expect(records[0]?.fallbacks).toEqual([{ from: "openai", to: "anthropic", reason: "rate_limited" }])
    }))

  it.effect("a stream that breaks before its first token falls over; the caller sees only the second provider's text", () =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.streams.push(breaksAfter("ping"), breaksAfter("ping"), breaksAfter("ping"))
      const exit = yield* run(drain(llm.stream(hello)))
      const result = Exit.isSuccess(exit) ? exit.value : undefined
      expect(result?.events.map((e) => e.provider)).toEqual(["anthropic", "anthropic", "anthropic"])
      expect(result?.text).toBe("anthropic says hi")
      expect(a.streamCalls()).toBe(3)
      expect(b.streamCalls()).toBe(1)
      // Each failed attempt's request was closed when it failed, not at the end of the call.
      expect(a.wires.every((w) => w.aborted() || w.cancelled())).toBe(true)
    }))

  it.effect("after the first token there is no retry and no fallback: the stream ends with its typed error", () =>
    Effect.gen(function*() {
      const { a, b, llm, records } = yield* setup()
      a.streams.push(breaksAfter("Hello", " wor"))
      const result = yield* withoutTime(drain(llm.stream(hello)))
      const value = Exit.isSuccess(result) ? result.value : undefined
      expect(value?.text).toBe("Hello wor")
      expect(value?.providers).toEqual(["openai"])
      expect(value?.error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 2 })
      expect(a.streamCalls()).toBe(1)
      expect(b.streamCalls()).toBe(0)
      // Usage is unknown, not 0: the stream broke before its usage arrived.
      expect(records[0]?.outcome).toMatchObject({ _tag: "Failure", usage: "unknown", text: "Hello wor" })
    }))

  it.effect("a truncated stream (no terminator) after text is an interruption, never a success", () =>
    Effect.gen(function*() {
      const { a, b, llm, records } = yield* setup()
      a.streams.push(truncatedAfter("Hello", " world"))
      const result = yield* withoutTime(drain(llm.stream(hello)))
      const value = Exit.isSuccess(result) ? result.value : undefined
      expect(value?.text).toBe("Hello world")
      expect(value?.events.some((e) => e._tag === "Done")).toBe(false)
      expect(value?.error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 2 })
      expect(b.streamCalls()).toBe(0)
      expect(records[0]?.outcome._tag).toBe("Failure")
    }))

  it.effect("invalid structured output is retried on the same provider, then failed over", () =>
    Effect.gen(function*() {
      const Answer = Schema.Struct({ answer: Schema.Literal("yes", "no") })
      const request = { ...hello, schema: { name: "Answer", jsonSchema: JSONSchema.make(Answer) as unknown as Record<string, unknown> } }
      const { a, b, llm } = yield* setup()
      a.chats.push(...Array.from({ length: 3 }, () => answer("{\"answer\":\"maybe\"}", { answer: "maybe" })))
      b.chats.push(answer("{\"answer\":\"yes\"}", { answer: "yes" }))
      const exit = yield* run(llm.chat(request, Answer))
      expect(Exit.isSuccess(exit) && exit.value.value).toEqual({ answer: "yes" })
      expect(Exit.isSuccess(exit) && exit.value.provider).toBe("anthropic")
      expect(a.chatCalls()).toBe(3)

      // Invalid everywhere: the typed error, after every attempt.
      const both = yield* setup()
      both.a.chats.push(...Array.from({ length: 3 }, () => answer("{}", {})))
      both.b.chats.push(...Array.from({ length: 3 }, () => answer("{}", {})))
      const failed = yield* run(both.llm.chat(request, Answer))
      expect(errorOf(failed)).toMatchObject({ _tag: "LlmInvalidOutput", provider: "anthropic" })
      expect([both.a.chatCalls(), both.b.chatCalls()]).toEqual([3, 3])
      // The provider answered: invalid output never counts toward its breaker.
      expect(Object.values(yield* both.states)).toEqual(["closed", "closed"])
    }))
})

describe("gateway resilience (TestClock): the observer (LangSmith) is never on the call's path", () => {
  it.effect("an observer that dies is ignored: chat and stream still answer", () =>
    Effect.gen(function*() {
      const a = makeScripted("openai", timeouts)
      const llm = makeGateway({
        providers: [a.provider],
        breakers: yield* makeBreakers(),
        observer: { onCall: () => Effect.die(new Error("observer bug")) }
      })
      const chat = yield* withoutTime(llm.chat(hello))
      expect(Exit.isSuccess(chat) && chat.value.text).toBe("openai says hi")
      const streamed = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(streamed) && streamed.value.text).toBe("openai says hi")
      expect(Exit.isSuccess(streamed) && streamed.value.error).toBeUndefined()
    }))
})

describe("gateway resilience (TestClock): every timeout phase", () => {
  it.effect("headers: each attempt gives up at headersMs (request aborted), then the next provider answers", () =>
    Effect.gen(function*() {
      // A budget that fits three headers deadlines (the default 10 s would fall over after one).
      const { a, b, llm, records } = yield* setup({ retry: { budgetMs: 60_000 } })
      a.streams.push(silentServer, silentServer, silentServer)
      const started = yield* Clock.currentTimeMillis
      const exit = yield* run(drain(llm.stream(hello)))
      expect(Exit.isSuccess(exit) && exit.value.providers).toEqual(["anthropic"])
      expect(a.streamCalls()).toBe(3)
      expect(a.wires.every((w) => w.aborted())).toBe(true)
      expect(records[0]?.fallbacks).toEqual([{ from: "openai", to: "anthropic", reason: "timeout" }])
      // Three headers deadlines and two backoffs (at most 250 + 500 ms), nothing more.
      const elapsed = (yield* Clock.currentTimeMillis) - started
      expect(elapsed).toBeGreaterThanOrEqual(3 * timeouts.headersMs)
      expect(elapsed).toBeLessThanOrEqual(3 * timeouts.headersMs + 750 + 300)
      expect(b.streamCalls()).toBe(1)
    }))

  it.effect("first token: headers but no text within firstTokenMs → timeout, retried, then failed over", () =>
    Effect.gen(function*() {
      const { a, llm } = yield* setup({ retry: { maxAttempts: 2, budgetMs: 60_000 } })
      a.streams.push(noFirstToken, noFirstToken)
      const errors: Array<string> = []
      const exit = yield* run(drain(llm.stream(hello)))
      for (const wire of a.wires) errors.push(wire.aborted() ? "aborted" : "open")
      expect(Exit.isSuccess(exit) && exit.value.providers).toEqual(["anthropic"])
      expect(errors).toEqual(["aborted", "aborted"])
    }))

  it.effect("idle: text, then nothing for idleMs → the stream ends with LlmTimeout idle, no fallback", () =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.streams.push(stallsAfter("Hello"))
      const fiber = yield* Effect.fork(drain(llm.stream(hello)))
      yield* settle
      yield* TestClock.adjust(timeouts.idleMs - 1)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(1)
      const result = yield* Fiber.join(fiber)
      expect(result.text).toBe("Hello")
      expect(result.error).toMatchObject({ _tag: "LlmTimeout", phase: "idle", provider: "openai" })
      expect(b.streamCalls()).toBe(0)
      expect(a.wires[0]?.aborted()).toBe(true)
    }))

  it.effect("total: a stream still going at totalMs ends with LlmTimeout total", () =>
    Effect.gen(function*() {
      const { a, llm } = yield* setup()
      a.streams.push(stallsAfter("Hello"))
      const fiber = yield* Effect.fork(drain(llm.stream(hello)))
      // Keep it alive within idleMs until the total deadline.
      for (let t = 0; t < timeouts.totalMs; t += 4_000) {
        yield* settle
        a.wires[0]?.send("data: ping\n\n")
        yield* TestClock.adjust(4_000)
      }
      const result = yield* Fiber.join(fiber)
      expect(result.error).toMatchObject({ _tag: "LlmTimeout", phase: "total" })
    }))

  it.effect("chat: headers (none within headersMs) and total (a body that never completes), each failed over", () =>
    Effect.gen(function*() {
      const headers = yield* setup({ retry: { maxAttempts: 1 } })
      headers.a.chats.push(hang)
      const first = yield* run(headers.llm.chat(hello))
      expect(Exit.isSuccess(first) && first.value.provider).toBe("anthropic")
      expect(headers.records[0]?.fallbacks.map((f) => f.reason)).toEqual(["timeout"])

      const total = yield* setup({ retry: { maxAttempts: 1 } })
      total.a.chats.push(slowBody)
      const started = yield* Clock.currentTimeMillis
      const fiber = yield* Effect.fork(total.llm.chat(hello))
      yield* settle
      yield* TestClock.adjust(timeouts.totalMs - 1)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(1)
      const second = yield* Fiber.join(fiber)
      expect(second.provider).toBe("anthropic")
      expect((yield* Clock.currentTimeMillis) - started).toBe(timeouts.totalMs)
    }))
})

describe("gateway resilience (TestClock): circuit breakers", () => {
  it.effect("open after 5 counted failures, half-open after 60 s with ONE probe among 20 concurrent calls, closed after 3 good probes", () =>
    Effect.gen(function*() {
      const { a, b, llm, states } = yield* setup()
      const serverError = new LlmServerError({ provider, message: "500", status: 500 })
      a.streams.push(...Array.from({ length: 5 }, () => refuses(serverError)))
      // 3 attempts, then 2 more: the 5th failure opens it, so the 6th attempt is refused without a request.
      yield* run(drain(llm.stream(hello)))
      yield* run(drain(llm.stream(hello)))
      expect(a.streamCalls()).toBe(5)
      expect((yield* states)["openai:stream"]).toBe("open")

      // Open: straight to the next provider, without a request and without waiting.
      const fast = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(fast) && fast.value.providers).toEqual(["anthropic"])
      expect(a.streamCalls()).toBe(5)

      yield* TestClock.adjust(60_000)
      expect((yield* states)["openai:stream"]).toBe("half-open")
      // The probe's response is held until every other call is done.
      let release: () => void = () => undefined
      a.streams.push((wire) => {
        release = () => replies("probe ", "ok")(wire)
      })
      const bBefore = b.streamCalls()
      const calls = yield* Effect.forEach(Array.from({ length: 20 }), () => Effect.fork(drain(llm.stream(hello))))
      yield* settle
      expect(a.streamCalls()).toBe(6)
      release()
      const results = yield* Effect.forEach(calls, Fiber.join)
      expect(results.filter((r) => r.providers[0] === "openai").map((r) => r.text)).toEqual(["probe ok"])
      expect(results.filter((r) => r.providers[0] === "anthropic")).toHaveLength(19)
      expect(b.streamCalls() - bBefore).toBe(19)
      expect((yield* states)["openai:stream"]).toBe("half-open")

      // Two more good probes close it.
      yield* run(drain(llm.stream(hello)))
      yield* run(drain(llm.stream(hello)))
      expect((yield* states)["openai:stream"]).toBe("closed")
      expect(a.streamCalls()).toBe(8)
    }))

  it.effect("every provider's breaker open: the call fails at once with LlmUnavailable and the time until half-open", () =>
    Effect.gen(function*() {
      const { a, b, llm } = yield* setup()
      a.streams.push(refuses(new LlmAuthFailed({ provider, message: "401" })))
      b.streams.push(refuses(new LlmQuotaExceeded({ provider: "anthropic", message: "credit balance is too low" })))
      const first = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(first) && first.value.error?._tag).toBe("LlmQuotaExceeded")

      yield* TestClock.adjust(20_000)
      const result = yield* withoutTime(drain(llm.stream(hello)))
      expect(Exit.isSuccess(result) && result.value.error).toMatchObject({ _tag: "LlmUnavailable", retryAfterMs: 40_000 })
      const chat = yield* withoutTime(llm.chat(hello))
      // Chat has breakers of its own (closed): it is served.
      expect(Exit.isSuccess(chat)).toBe(true)
      expect([a.streamCalls(), b.streamCalls()]).toEqual([1, 1])
    }))
})
