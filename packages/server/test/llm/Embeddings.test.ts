import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { Cause, ConfigProvider, Effect, Exit, Fiber, Layer, Metric, Option, Redacted, TestClock } from "effect"
import { afterAll, afterEach, beforeAll } from "vitest"
import { Embeddings, type EmbeddingsUnavailable } from "../../src/Knowledge/Embeddings.js"
import { OFFLINE_DIMENSIONS, offlineEmbedding } from "../../src/Knowledge/OfflineEmbedding.js"
import { Llm } from "../../src/Llm.js"
import { Attr, metrics, withTags } from "../../src/Llm/Observability.js"
import { advanceUntilDone, settle } from "./Wire.js"

/**
 * OpenAI embeddings through the gateway's resilience, against llm-fake's `/v1/embeddings` with the
 * real SDK. `TestClock`: backoffs, `retry-after`, deadlines and the breaker's cool-down pass only
 * when the test moves the clock; the requests themselves are real.
 */
let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterEach(() => fake.reset())
afterAll(() => fake.close())

const model = "text-embedding-3-small"
const openai = (timeoutMs?: number) =>
  Embeddings.openai({
    apiKey: Redacted.make("sk-test"),
    baseURL: fake.openaiBaseUrl,
    model,
    dimensions: 1536,
    ...(timeoutMs === undefined ? {} : { timeoutMs })
  })

const requests = () => fake.journal.entries({ endpoint: "embeddings" })

/** `embed` in a fiber, the clock moved 100 ms per turn of the event loop until it is done. */
const embed = (texts: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const embeddings = yield* Embeddings
    return yield* Effect.flatMap(Effect.fork(embeddings.embed(texts)), (fiber) => advanceUntilDone(fiber, 100))
  })

const failure = <A>(exit: Exit.Exit<A, EmbeddingsUnavailable>) =>
  Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined

describe("OpenAI embeddings with the gateway's resilience (TestClock, llm-fake)", () => {
  it.effect("a 500 then success: retried on the same provider, the vectors come back in order", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "server_error" }, { match: { endpoint: "embeddings" } })
      const exit = yield* embed(["psychological safety", "favour trading"])
      expect(Exit.isSuccess(exit)).toBe(true)
      const vectors = Exit.isSuccess(exit) ? exit.value : []
      expect(vectors.map((v) => v.length)).toEqual([1536, 1536])
      expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!))
      expect(requests().map((r) => r.status)).toEqual([500, 200])
      expect(requests()[1]?.body).toMatchObject({ model, dimensions: 1536, input: ["psychological safety", "favour trading"] })
    }).pipe(Effect.provide(openai())))

  it.effect("an answer with the wrong dimensions is invalid output: retried, then the good answer is used", () =>
    Effect.gen(function*() {
      fake.script.next({
        kind: "status",
        status: 200,
        body: { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }], model, usage: { prompt_tokens: 1, total_tokens: 1 } }
      }, { match: { endpoint: "embeddings" } })
      const exit = yield* embed(["trust"])
      expect(Exit.isSuccess(exit) && exit.value[0]?.length).toBe(1536)
      expect(requests()).toHaveLength(2)
    }).pipe(Effect.provide(openai())))

  it.effect("a 401 is not retried: EmbeddingsUnavailable carrying LlmAuthFailed, and the breaker opens at once", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "unauthorized" }, { match: { endpoint: "embeddings" } })
      const first = failure(yield* embed(["trust"]))
      expect(first).toMatchObject({ _tag: "EmbeddingsUnavailable", model })
      expect(first?.message).toMatch(/^auth_failed: /)
      expect(first?.cause).toMatchObject({ _tag: "LlmAuthFailed", provider: "openai" })
      expect(requests()).toHaveLength(1)
      // Open: refused without a request and without waiting.
      const embeddings = yield* Embeddings
      const fiber = yield* Effect.fork(embeddings.embed(["trust"]))
      yield* settle
      const second = yield* Fiber.poll(fiber)
      expect(Option.isSome(second)).toBe(true)
      expect(Option.isSome(second) && failure(second.value)?.cause).toMatchObject({ _tag: "LlmUnavailable" })
      expect(requests()).toHaveLength(1)
      // After the cool-down a probe goes through and succeeds.
      yield* TestClock.adjust(60_000)
      const third = yield* embed(["trust"])
      expect(Exit.isSuccess(third)).toBe(true)
      expect(requests()).toHaveLength(2)
    }).pipe(Effect.provide(openai())))

  it.effect("a retry-after beyond the request's budget fails at once, without a second request", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "rate_limited", retryAfterSeconds: 30 }, { match: { endpoint: "embeddings" } })
      const embeddings = yield* Embeddings
      const fiber = yield* Effect.fork(embeddings.embed(["trust"]))
      const exit = yield* Fiber.await(fiber)
      expect(failure(exit)?.cause).toMatchObject({ _tag: "LlmRateLimited", retryAfterMs: 30_000 })
      expect(requests()).toHaveLength(1)
    }).pipe(Effect.provide(openai())))

  it.effect("5 failing requests open the openai:embed breaker; the next call is refused without a request", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "server_error" }, { match: { endpoint: "embeddings" }, times: 10 })
      // 3 attempts, then 2 more (the 5th opens the breaker, the 6th is refused).
      yield* embed(["a"])
      const second = failure(yield* embed(["b"]))
      expect(requests()).toHaveLength(5)
      expect(second?.cause).toMatchObject({ _tag: "LlmUnavailable" })
      const gauge = yield* Metric.value(withTags(metrics.breakerState, { [Attr.provider]: "openai", [Attr.family]: "embed" }))
      expect(gauge.value).toBe(2)
    }).pipe(Effect.provide(openai())))

  it.effect("no headers within the deadline: LlmTimeout headers, the request aborted", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "delayHeaders", ms: 600_000 }, { match: { endpoint: "embeddings" } })
      const embeddings = yield* Embeddings
      const fiber = yield* Effect.fork(embeddings.embed(["trust"]))
      yield* Effect.promise(() => fake.journal.waitFor((j) => j.count() === 1))
      yield* TestClock.adjust(10_000)
      const exit = yield* Fiber.await(fiber)
      // The deadline used the whole 10 s budget: no retry.
      expect(failure(exit)?.cause).toMatchObject({ _tag: "LlmTimeout", phase: "headers" })
      yield* Effect.promise(() => fake.journal.waitFor((j) => j.last()?.outcome === "client-closed"))
      expect(requests()).toHaveLength(1)
    }).pipe(Effect.provide(openai())))
})

describe("Llm.embed", () => {
  const withEnv = (env: Record<string, string>) =>
    Llm.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))

  it.effect("with OPENAI_API_KEY: OpenAI's text-embedding-3-small, through the same resilience", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "overloaded" }, { match: { endpoint: "embeddings" } })
      const llm = yield* Llm
      const result = yield* Effect.flatten(
        Effect.flatMap(Effect.fork(llm.embed(["trust", "safety"])), (fiber) => advanceUntilDone(fiber, 100))
      )
      expect(result.vectors.map((v) => v.length)).toEqual([1536, 1536])
      expect(result.usage).toMatchObject({ inputTokens: 2 })
      expect(requests()).toHaveLength(2)
      const duration = yield* Metric.value(
        withTags(metrics.operationDuration, { [Attr.operation]: "embeddings", [Attr.provider]: "openai", [Attr.requestModel]: model })
      )
      expect(duration.count).toBeGreaterThanOrEqual(1)
    }).pipe(Effect.provide(withEnv({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.openaiBaseUrl }))))

  it.live("without a key: the offline model", () =>
    Effect.gen(function*() {
      const llm = yield* Llm
      const result = yield* llm.embed(["psychological safety"])
      expect(result.vectors[0]?.length).toBe(OFFLINE_DIMENSIONS)
      expect(Array.from(result.vectors[0]!)).toEqual(Array.from(offlineEmbedding("psychological safety")))
      expect(requests()).toHaveLength(0)
    }).pipe(Effect.provide(withEnv({}))))
})
