import { defaultReply, type LlmFake, start, tokenize, valueFor } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Redacted, Stream, TestClock } from "effect"
import { afterAll, afterEach, beforeAll } from "vitest"
import type { LlmError } from "../../src/Llm/Errors.js"
import { makeOpenAi } from "../../src/Llm/OpenAi.js"
import type { ChatRequest, StreamEvent, Timeouts } from "../../src/Llm/Provider.js"
import { advanceUntilDone } from "./Wire.js"

/** The real `openai` SDK, through our provider, against llm-fake. */
let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterEach(() => fake.reset())
afterAll(() => fake.close())

const provider = (timeouts: Partial<Timeouts> = {}) =>
  makeOpenAi({ apiKey: Redacted.make("sk-test"), baseURL: fake.openaiBaseUrl, model: "gpt-4o-mini", timeouts })

const hello: ChatRequest = { system: "You are terse.", messages: [{ role: "user", content: "Say hello." }] }

const schema = {
  name: "QuizItem",
  jsonSchema: {
    type: "object",
    properties: {
      question: { type: "string", minLength: 10 },
      options: { type: "array", items: { type: "string" }, minItems: 4, maxItems: 4 },
      answer: { type: "integer", minimum: 0, maximum: 3 },
      pillar: { type: "string", enum: ["divsexp", "indrecip", "grpstat"] }
    },
    required: ["question", "options", "answer", "pillar"],
    additionalProperties: false
  }
} as const

/** The strings inside a JSON value (llm-fake's `textOf`). */
const textOf = (u: unknown): string =>
  typeof u === "string" ? u : typeof u === "object" && u !== null ? Object.values(u).map(textOf).join(" ") : ""

/** What llm-fake counts as the prompt's tokens of the last request: words and punctuation of `messages`. */
const promptTokens = () => {
  const body = fake.journal.last()?.body
  const messages = typeof body === "object" && body !== null && "messages" in body ? body.messages : []
  return textOf(messages).match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)?.length ?? 0
}

/** Runs a stream to its end: the events it emitted and the error it failed with, if any. */
const drain = (stream: Stream.Stream<StreamEvent, LlmError>) =>
  Effect.gen(function*() {
    const events: Array<StreamEvent> = []
    const error = yield* Stream.runForEach(stream, (e) => Effect.sync(() => events.push(e))).pipe(
      Effect.match({ onFailure: (e): LlmError | undefined => e, onSuccess: () => undefined })
    )
    const text = events.flatMap((e) => (e._tag === "Delta" ? [e.text] : [])).join("")
    return { events, error, text, deltas: events.filter((e) => e._tag === "Delta").length }
  })

/** Waits (on I/O, not on a clock) until the fake's journal satisfies `predicate`. */
const settled = (predicate: (fake: LlmFake) => boolean) => Effect.promise(() => fake.journal.waitFor(() => predicate(fake)))

/** Waits until the fake has received `n` requests. */
const arrived = (n: number) => settled((f) => f.journal.count() >= n)

/** Deadlines far beyond any test: each timeout test shortens only the phase it is about. */
const patient: Partial<Timeouts> = { headersMs: 3_600_000, firstTokenMs: 3_600_000, idleMs: 3_600_000, totalMs: 7_200_000 }

describe("OpenAI provider: answers", () => {
  it.live("chat: text, finish reason, usage, system prompt sent", () =>
    Effect.gen(function*() {
      const result = yield* provider().chat(hello)
      expect(result).toEqual({
        text: defaultReply,
        finishReason: "stop",
        usage: { inputTokens: promptTokens(), outputTokens: tokenize(defaultReply).length }
      })
      expect(fake.journal.last()?.body).toMatchObject({
        model: "gpt-4o-mini",
        messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "Say hello." }]
      })
    }))

  it.live("chat: max tokens → finish reason length", () =>
    Effect.gen(function*() {
      const result = yield* provider().chat({ ...hello, maxTokens: 3 })
      expect(result.finishReason).toBe("length")
      expect(result.text).toBe(tokenize(defaultReply).slice(0, 3).join(""))
      expect(result.usage).toEqual({ inputTokens: promptTokens(), outputTokens: 3 })
      expect(fake.journal.last()?.body).toMatchObject({ max_completion_tokens: 3 })
    }))

  it.live("stream: deltas, then Done with the finish reason and usage (include_usage requested)", () =>
    Effect.gen(function*() {
      const { events, error, text, deltas } = yield* drain(provider().stream(hello))
      expect(error).toBeUndefined()
      expect(text).toBe(defaultReply)
      expect(deltas).toBe(tokenize(defaultReply).length)
      expect(events.at(-1)).toEqual({
        _tag: "Done",
        finishReason: "stop",
        usage: { inputTokens: promptTokens(), outputTokens: tokenize(defaultReply).length }
      })
      expect(events.filter((e) => e._tag === "Done")).toHaveLength(1)
      expect(fake.journal.last()?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
      expect(fake.journal.last()?.outcome).toBe("completed")
    }))

  it.live("stream: max tokens → Done length", () =>
    Effect.gen(function*() {
      const { events, deltas } = yield* drain(provider().stream({ ...hello, maxTokens: 2 }))
      expect(deltas).toBe(2)
      expect(events.at(-1)).toMatchObject({ _tag: "Done", finishReason: "length" })
    }))

  it.live("structured output: json_schema (strict) requested; the parsed value returned", () =>
    Effect.gen(function*() {
      const result = yield* provider().chat({ ...hello, schema })
      const expected = valueFor(schema.jsonSchema, schema.name)
      expect(result.structured).toEqual(expected)
      expect(JSON.parse(result.text)).toEqual(expected)
      expect(result.finishReason).toBe("stop")
      expect(fake.journal.last()?.body).toMatchObject({
        response_format: { type: "json_schema", json_schema: { name: "QuizItem", schema: schema.jsonSchema, strict: true } }
      })
      const streamed = yield* drain(provider().stream({ ...hello, schema }))
      expect(JSON.parse(streamed.text)).toEqual(expected)
    }))

  it.live("structured output cut off by max tokens → LlmInvalidOutput", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(provider().chat({ ...hello, schema, maxTokens: 2 }))
      expect(error._tag).toBe("LlmInvalidOutput")
    }))

  it.live("a stream that ends with [DONE] but no usage chunk: Done with usage \"unknown\", not 0", () =>
    Effect.gen(function*() {
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
      const body = chunk({ role: "assistant", content: "" }, null) + chunk({ content: "Hi" }, null) + chunk({}, "stop") +
        "data: [DONE]\n\n"
      fake.script.next({ kind: "status", status: 200, body, headers: { "content-type": "text/event-stream" } })
      const { events, error } = yield* drain(provider().stream(hello))
      expect(error).toBeUndefined()
      expect(events).toEqual([{ _tag: "Delta", text: "Hi" }, { _tag: "Done", finishReason: "stop", usage: "unknown" }])
    }))
})

describe("OpenAI provider: HTTP errors → typed errors (chat and stream)", () => {
  it.live("401 → LlmAuthFailed", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "unauthorized" }, { times: 2 })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmAuthFailed", provider: "openai" })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmAuthFailed" })
    }))

  it.live("429 with retry-after → LlmRateLimited { retryAfterMs } (from retry-after-ms)", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "rate_limited", retryAfterSeconds: 2.5 }, { times: 2 })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmRateLimited", retryAfterMs: 2500 })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmRateLimited", retryAfterMs: 2500 })
    }))

  it.live("429 with only retry-after (seconds) → retryAfterMs", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "status", status: 429, headers: { "retry-after": "3" } })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmRateLimited", retryAfterMs: 3000 })
    }))

  it.live("429 insufficient_quota → LlmQuotaExceeded", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "insufficient_quota" })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmQuotaExceeded" })
    }))

  it.live("503 overloaded → LlmOverloaded", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "overloaded" })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmOverloaded" })
    }))

  it.live("500 → LlmServerError { status: 500 }; 502 → { status: 502 }", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "server_error" })
      fake.script.next({ kind: "status", status: 502 })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmServerError", status: 500 })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmServerError", status: 502 })
    }))

  it.live("400 context_length_exceeded → LlmContextTooLong; other 400 and 422 → LlmBadRequest", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "context_length_exceeded" })
      fake.script.next({ kind: "error", error: "bad_request" })
      fake.script.next({ kind: "status", status: 422 })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmContextTooLong" })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmBadRequest" })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmBadRequest" })
    }))

  it.live("socket reset before headers → LlmConnectionFailed", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "reset" }, { times: 2 })
      expect(yield* Effect.flip(provider().chat(hello))).toMatchObject({ _tag: "LlmConnectionFailed" })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmConnectionFailed" })
    }))

  it.live("nothing listening → LlmConnectionFailed", () =>
    Effect.gen(function*() {
      const closed = makeOpenAi({ apiKey: Redacted.make("sk"), baseURL: "http://127.0.0.1:9/v1", model: "gpt-4o-mini" })
      expect(yield* Effect.flip(closed.chat(hello))).toMatchObject({ _tag: "LlmConnectionFailed" })
    }))
})

describe("OpenAI provider: timeouts by phase (TestClock: the fake holds the request, our deadline aborts it)", () => {
  it.effect("headers: none within headersMs → LlmTimeout headers (chat and stream); the requests are aborted", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "delayHeaders", ms: 600_000 }, { times: 2 })
      const chat = yield* Effect.fork(provider({ ...patient, headersMs: 10_000 }).chat(hello))
      yield* arrived(1)
      yield* TestClock.adjust(10_000)
      expect(yield* Effect.flip(Fiber.join(chat))).toMatchObject({ _tag: "LlmTimeout", phase: "headers" })
      const stream = yield* Effect.fork(drain(provider({ ...patient, headersMs: 10_000 }).stream(hello)))
      yield* arrived(2)
      yield* TestClock.adjust(10_000)
      expect((yield* Fiber.join(stream)).error).toMatchObject({ _tag: "LlmTimeout", phase: "headers" })
      yield* settled((f) => f.journal.entries({ outcome: "client-closed" }).length === 2)
    }))

  it.effect("first token: headers, then no token within firstTokenMs → LlmTimeout first-token; the request is aborted", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "delayFirstToken", ms: 600_000 })
      const fiber = yield* Effect.fork(drain(provider({ ...patient, firstTokenMs: 20_000 }).stream(hello)))
      const { error, deltas } = yield* Effect.flatten(advanceUntilDone(fiber, 1_000))
      expect(error).toMatchObject({ _tag: "LlmTimeout", phase: "first-token" })
      expect(deltas).toBe(0)
      yield* settled((f) => f.journal.last()?.outcome === "client-closed")
    }))

  it.effect("idle: a stall after 2 chunks → LlmTimeout idle after those 2 deltas; the request is aborted", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "stall", afterChunks: 2 })
      const fiber = yield* Effect.fork(drain(provider({ ...patient, idleMs: 5_000 }).stream(hello)))
      const { error, text } = yield* Effect.flatten(advanceUntilDone(fiber, 500))
      expect(error).toMatchObject({ _tag: "LlmTimeout", phase: "idle" })
      expect(text).toBe("Hello from")
      yield* settled((f) => f.journal.last()?.durationMs !== undefined)
      expect(fake.journal.last()).toMatchObject({ outcome: "stalled", chunksSent: 2 })
    }))

  it.effect("total: an answer still incomplete at totalMs → LlmTimeout total (chat and stream)", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "delayHeaders", ms: 600_000 })
      fake.script.next({ kind: "stall", afterChunks: 2 })
      const chat = yield* Effect.fork(provider({ ...patient, totalMs: 30_000 }).chat(hello))
      yield* arrived(1)
      yield* TestClock.adjust(30_000)
      expect(yield* Effect.flip(Fiber.join(chat))).toMatchObject({ _tag: "LlmTimeout", phase: "total" })
      const stream = yield* Effect.fork(drain(provider({ ...patient, totalMs: 30_000 }).stream(hello)))
      const { error, deltas } = yield* Effect.flatten(advanceUntilDone(stream, 500))
      expect(error).toMatchObject({ _tag: "LlmTimeout", phase: "total" })
      expect(deltas).toBe(2)
    }))
})

describe("OpenAI provider: broken streams", () => {
  it.live("truncated (clean end, no [DONE]) → LlmStreamInterrupted { receivedChunks }, no Done", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "truncate", afterChunks: 4 })
      const { events, error } = yield* drain(provider().stream(hello))
      expect(error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 4 })
      expect(events.some((e) => e._tag === "Done")).toBe(false)
    }))

  it.live("truncated after the last token (no finish chunk, no usage) → LlmStreamInterrupted, usage never reported", () =>
    Effect.gen(function*() {
      const tokens = tokenize(defaultReply).length
      fake.script.next({ kind: "truncate", afterChunks: tokens })
      const { events, error, text } = yield* drain(provider().stream(hello))
      expect(text).toBe(defaultReply)
      expect(error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: tokens })
      expect(events.some((e) => e._tag === "Done")).toBe(false)
    }))

  it.live("socket reset mid-stream → LlmStreamInterrupted after the text so far", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "reset", afterChunks: 2 })
      const { error, text } = yield* drain(provider().stream(hello))
      expect(text).toBe("Hello from")
      expect(error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 2 })
    }))

  it.live("malformed line → LlmStreamInterrupted (a broken wire, not invalid output)", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "malformed", afterChunks: 1 })
      const { error, text } = yield* drain(provider().stream(hello))
      expect(text).toBe("Hello")
      expect(error).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 1 })
    }))

  it.live("in-band error events → mapped by their type", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "inBandError", afterChunks: 3, error: "server_error" })
      fake.script.next({ kind: "inBandError", afterChunks: 1, error: "rate_limited" })
      fake.script.next({ kind: "inBandError", afterChunks: 1, error: "insufficient_quota" })
      fake.script.next({ kind: "inBandError", afterChunks: 1, error: "overloaded" })
      const first = yield* drain(provider().stream(hello))
      expect(first.text).toBe("Hello from llm-fake.")
      expect(first.error).toMatchObject({ _tag: "LlmServerError", status: 500 })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmRateLimited" })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmQuotaExceeded" })
      expect((yield* drain(provider().stream(hello))).error).toMatchObject({ _tag: "LlmOverloaded" })
    }))
})

describe("OpenAI provider: cancellation aborts the upstream request", () => {
  it.live("a consumer that stops after 2 deltas closes the connection early", () =>
    Effect.gen(function*() {
      fake.configure({ tokensPerSecond: 40 })
      const taken = yield* Stream.runCollect(provider().stream(hello).pipe(Stream.take(2)))
      expect(taken.length).toBe(2)
      yield* settled((f) => f.journal.last()?.outcome === "client-closed")
      expect(fake.journal.last()?.chunksSent).toBeLessThan(tokenize(defaultReply).length)
    }))

  it.live("interrupting a running stream aborts it", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "stall", afterChunks: 1 })
      const fiber = yield* Effect.fork(Stream.runDrain(provider().stream(hello)))
      yield* settled((f) => f.journal.last()?.outcome === "stalled")
      yield* Fiber.interrupt(fiber)
      yield* settled((f) => f.journal.last()?.durationMs !== undefined)
      expect(fake.journal.last()).toMatchObject({ outcome: "stalled", chunksSent: 1 })
    }))

  it.live("interrupting chat while it waits for headers aborts the request", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "delayHeaders", ms: 5_000 })
      const fiber = yield* Effect.fork(provider().chat(hello))
      yield* arrived(1)
      yield* Fiber.interrupt(fiber)
      yield* settled((f) => f.journal.last()?.outcome === "client-closed")
    }))
})
