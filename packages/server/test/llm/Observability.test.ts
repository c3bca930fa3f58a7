import { defaultReply, type LlmFake, start, tokenize } from "@compilar/llm-fake"
import { NodeSdk } from "@effect/opentelemetry"
import { describe, expect, it } from "@effect/vitest"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Metric, Redacted, Stream } from "effect"
import { afterAll, afterEach, beforeAll } from "vitest"
import { makeAnthropic } from "../../src/Llm/Anthropic.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { Attr, metrics, recordBreakerTransition, withTags } from "../../src/Llm/Observability.js"
import { makeOpenAi } from "../../src/Llm/OpenAi.js"
import type { ChatRequest } from "../../src/Llm/Provider.js"

/** Spans through the real OpenTelemetry SDK into an in-memory exporter; metrics read from Effect's registry. */
let fake: LlmFake
/** A fresh one per test: the SDK shuts its exporter down with the layer. */
let exporter = new InMemorySpanExporter()
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterEach(() => {
  fake.reset()
})
afterAll(() => fake.close())

const Otel = NodeSdk.layer(() => {
  exporter = new InMemorySpanExporter()
  return { spanProcessor: new SimpleSpanProcessor(exporter) }
})

/** Each test its own models, so the process-wide metrics it reads are its own. */
const gateway = (openaiModel: string, anthropicModel: string) =>
  Effect.map(makeBreakers({ onTransition: recordBreakerTransition }), (breakers) =>
    makeGateway({
      providers: [
        makeOpenAi({ apiKey: Redacted.make("sk-test"), baseURL: fake.openaiBaseUrl, model: openaiModel }),
        makeAnthropic({ apiKey: Redacted.make("sk-ant-test"), baseURL: fake.anthropicBaseUrl, model: anthropicModel })
      ],
      breakers,
      retry: { baseDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000 }
    }))

const hello: ChatRequest = { messages: [{ role: "user", content: "Say hello." }] }

const spans = () => exporter.getFinishedSpans()
const named = (name: string) => spans().filter((s) => s.name === name)
const only = (name: string): ReadableSpan => {
  const found = named(name)
  expect(found).toHaveLength(1)
  return found[0]!
}
const childrenOf = (parent: ReadableSpan) =>
  spans()
    .filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)
    .sort((a, b) => Number(a.attributes[Attr.attempt]) - Number(b.attributes[Attr.attempt]))

const callTags = (streaming: boolean, provider: string, model: string) => ({
  [Attr.operation]: "chat",
  [Attr.streaming]: String(streaming),
  [Attr.provider]: provider,
  [Attr.requestModel]: model
})

describe("LLM observability: spans", () => {
  it.live("a retried call: one logical span, a child per attempt, provider, model, usage, finish reason", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "server_error" }, { match: { provider: "openai" }, times: 1 })
      const llm = yield* gateway("gpt-retried", "claude-retried")
      const answer = yield* llm.chat(hello).pipe(Effect.withSpan("caller"))
      expect(answer.provider).toBe("openai")

      const logical = only("Llm.chat")
      expect(logical.parentSpanContext?.spanId).toBe(only("caller").spanContext().spanId)
      expect(logical.attributes).toMatchObject({
        [Attr.operation]: "chat",
        [Attr.provider]: "openai",
        [Attr.system]: "openai",
        [Attr.requestModel]: "gpt-retried",
        [Attr.responseModel]: "gpt-retried",
        [Attr.attempts]: 2,
        [Attr.fallbacks]: 0,
        [Attr.usage]: "reported",
        [Attr.outputTokens]: tokenize(defaultReply).length
      })
      expect(logical.attributes[Attr.inputTokens]).toBeGreaterThan(0)
      expect(String(logical.attributes[Attr.finishReasons])).toContain("stop")
      expect(logical.attributes[Attr.errorType]).toBeUndefined()
      expect(logical.status.code).toBe(1) // OK

      const attempts = childrenOf(logical)
      expect(attempts.map((s) => [s.name, s.attributes[Attr.attempt]])).toEqual([
        ["chat gpt-retried", 1],
        ["chat gpt-retried", 2]
      ])
      expect(attempts[0]!.attributes[Attr.errorType]).toBe("server_error")
      expect(attempts[0]!.status.code).toBe(2) // ERROR
      expect(attempts[1]!.attributes).toMatchObject({ [Attr.provider]: "openai", [Attr.usage]: "reported" })

      const duration = yield* Metric.value(withTags(metrics.operationDuration, callTags(false, "openai", "gpt-retried")))
      expect(duration.count).toBe(1)
      const input = yield* Metric.value(
        withTags(metrics.tokenUsage, { ...callTags(false, "openai", "gpt-retried"), [Attr.tokenType]: "input" })
      )
      const output = yield* Metric.value(
        withTags(metrics.tokenUsage, { ...callTags(false, "openai", "gpt-retried"), [Attr.tokenType]: "output" })
      )
      expect(input.count).toBe(1)
      expect(input.sum).toBe(logical.attributes[Attr.inputTokens])
      expect(output.sum).toBe(tokenize(defaultReply).length)
      const retries = yield* Metric.value(withTags(metrics.retries, { [Attr.reason]: "server_error", [Attr.provider]: "openai" }))
      expect(retries.count).toBeGreaterThanOrEqual(1)
    }).pipe(Effect.provide(Otel)))

  it.live("a fallback: its reason on the logical span and in llm.fallbacks; the breaker gauge shows it open", () =>
    Effect.gen(function*() {
      const fallbacks = withTags(metrics.fallbacks, {
        [Attr.reason]: "auth_failed",
        [Attr.from]: "openai",
        [Attr.to]: "anthropic"
      })
      const before = (yield* Metric.value(fallbacks)).count
      fake.script.next({ kind: "error", error: "unauthorized" }, { match: { provider: "openai" } })
      const llm = yield* gateway("gpt-fallback", "claude-fallback")
      const answer = yield* llm.chat(hello)
      expect(answer.provider).toBe("anthropic")

      const logical = only("Llm.chat")
      expect(logical.attributes).toMatchObject({
        [Attr.provider]: "anthropic",
        [Attr.responseModel]: "claude-fallback",
        [Attr.attempts]: 2,
        [Attr.fallbacks]: 1,
        [Attr.fallbackReasons]: "auth_failed",
        [Attr.providersTried]: "openai,anthropic"
      })
      const fallbackEvents = logical.events.filter((e) => e.name === "llm.fallback")
      expect(fallbackEvents.map((e) => e.attributes)).toEqual([
        { [Attr.from]: "openai", [Attr.to]: "anthropic", [Attr.reason]: "auth_failed" }
      ])
      const attempts = childrenOf(logical)
      expect(attempts.map((s) => [s.attributes[Attr.provider], s.attributes[Attr.errorType]])).toEqual([
        ["openai", "auth_failed"],
        ["anthropic", undefined]
      ])
      expect((yield* Metric.value(fallbacks)).count).toBe(before + 1)
      const gauge = yield* Metric.value(withTags(metrics.breakerState, { [Attr.provider]: "openai", [Attr.family]: "chat" }))
      expect(gauge.value).toBe(2)
    }).pipe(Effect.provide(Otel)))

  it.live("a stream: time to first token, usage, duration", () =>
    Effect.gen(function*() {
      const llm = yield* gateway("gpt-stream-ok", "claude-stream-ok")
      const events = yield* Stream.runCollect(llm.stream(hello))
      expect(events.length).toBeGreaterThan(1)
      const logical = only("Llm.stream")
      expect(logical.attributes).toMatchObject({
        [Attr.streaming]: true,
        [Attr.provider]: "openai",
        [Attr.usage]: "reported",
        [Attr.outputTokens]: tokenize(defaultReply).length,
        [Attr.attempts]: 1
      })
      expect(logical.attributes[Attr.timeToFirstTokenMs]).toBeGreaterThan(0)
      const [attempt] = childrenOf(logical)
      expect(attempt?.name).toBe("chat gpt-stream-ok")
      expect(attempt?.attributes[Attr.usage]).toBe("reported")
      const ttfc = yield* Metric.value(withTags(metrics.timeToFirstChunk, callTags(true, "openai", "gpt-stream-ok")))
      expect(ttfc.count).toBe(1)
      const duration = yield* Metric.value(withTags(metrics.operationDuration, callTags(true, "openai", "gpt-stream-ok")))
      expect(duration.count).toBe(1)
      expect(duration.sum).toBeGreaterThanOrEqual(ttfc.sum)
    }).pipe(Effect.provide(Otel)))

  it.live("a stream that broke before its usage arrived: usage \"unknown\", never 0", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "reset", afterChunks: 2 }, { match: { provider: "openai" } })
      const llm = yield* gateway("gpt-broken", "claude-broken")
      const error = yield* Effect.flip(Stream.runDrain(llm.stream(hello)))
      expect(error._tag).toBe("LlmStreamInterrupted")

      const logical = only("Llm.stream")
      expect(logical.attributes).toMatchObject({
        [Attr.provider]: "openai",
        [Attr.usage]: "unknown",
        [Attr.errorType]: "stream_interrupted"
      })
      expect(logical.attributes[Attr.inputTokens]).toBeUndefined()
      expect(logical.attributes[Attr.outputTokens]).toBeUndefined()
      expect(logical.status.code).toBe(2)
      const [attempt] = childrenOf(logical)
      expect(attempt?.attributes).toMatchObject({ [Attr.usage]: "unknown", [Attr.errorType]: "stream_interrupted" })

      const tags = callTags(true, "openai", "gpt-broken")
      expect((yield* Metric.value(withTags(metrics.usageUnknown, tags))).count).toBe(1)
      const tokens = yield* Metric.value(withTags(metrics.tokenUsage, { ...tags, [Attr.tokenType]: "input" }))
      expect(tokens.count).toBe(0)
      const failed = yield* Metric.value(
        withTags(metrics.operationDuration, { ...tags, [Attr.errorType]: "stream_interrupted" })
      )
      expect(failed.count).toBe(1)
    }).pipe(Effect.provide(Otel)))
})
