import { defaultReply, type LlmFake, start, tokenize } from "@compilar/llm-fake"
import { NodeSdk } from "@effect/opentelemetry"
import { describe, expect, it } from "@effect/vitest"
import {
  AggregationTemporality,
  type DataPoint,
  InMemoryMetricExporter,
  type MetricData,
  PeriodicExportingMetricReader
} from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Redacted, Stream } from "effect"
import { afterAll, afterEach, beforeAll } from "vitest"
import { makeAnthropic } from "../../src/Llm/Anthropic.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { Attr, recordBreakerTransition } from "../../src/Llm/Observability.js"
import { makeOpenAi } from "../../src/Llm/OpenAi.js"
import type { ChatRequest } from "../../src/Llm/Provider.js"

/**
 * Spans and metrics through the real OpenTelemetry SDK into in-memory exporters: the spans the
 * gateway makes, and the Effect metrics it records as an OpenTelemetry metric reader sees them
 * (`@effect/opentelemetry`'s producer, as `TelemetryLive` exports them).
 */
let fake: LlmFake
/** Fresh ones per test: the SDK shuts its exporters down with the layer. */
let exporter = new InMemorySpanExporter()
let metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
let metricReader: PeriodicExportingMetricReader | undefined
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterEach(() => {
  fake.reset()
})
afterAll(() => fake.close())

const Otel = NodeSdk.layer(() => {
  exporter = new InMemorySpanExporter()
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  metricReader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })
  return { spanProcessor: new SimpleSpanProcessor(exporter), metricReader }
})

interface Exported {
  readonly metric: MetricData | undefined
  /** The data points whose attributes include the ones asked for. */
  readonly points: ReadonlyArray<DataPoint<unknown>>
}

/** Exports now, and returns metric `name` as the in-memory exporter received it. */
const exported = (name: string, attributes: Readonly<Record<string, string>>) =>
  Effect.promise(async (): Promise<Exported> => {
    await metricReader?.forceFlush()
    const metric = metricExporter.getMetrics().at(-1)?.scopeMetrics.flatMap((s) => s.metrics).find((m) =>
      m.descriptor.name === name
    )
    const points = (metric?.dataPoints ?? []) as ReadonlyArray<DataPoint<unknown>>
    return {
      metric,
      points: points.filter((p) => Object.entries(attributes).every(([key, value]) => p.attributes[key] === value))
    }
  })

/** A histogram point's count and sum. */
const histogram = (point: DataPoint<unknown> | undefined) => point?.value as { readonly count: number; readonly sum: number }

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

describe("LLM observability: spans and metrics, through OpenTelemetry", () => {
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

      const duration = yield* exported("gen_ai.client.operation.duration", callTags(false, "openai", "gpt-retried"))
      expect(duration.metric?.descriptor).toMatchObject({ unit: "s", type: "HISTOGRAM" })
      expect(duration.points).toHaveLength(1)
      expect(histogram(duration.points[0]).count).toBe(1)
      expect(duration.points[0]?.attributes[Attr.errorType]).toBeUndefined()
      const tokens = yield* exported("gen_ai.client.token.usage", callTags(false, "openai", "gpt-retried"))
      expect(tokens.metric?.descriptor.unit).toBe("{token}")
      const byType = Object.fromEntries(tokens.points.map((p) => [p.attributes[Attr.tokenType], histogram(p)]))
      expect(byType["input"]).toMatchObject({ count: 1, sum: logical.attributes[Attr.inputTokens] })
      expect(byType["output"]).toMatchObject({ count: 1, sum: tokenize(defaultReply).length })
      const retries = yield* exported("llm.retries", { [Attr.reason]: "server_error", [Attr.provider]: "openai" })
      expect(retries.points[0]?.value).toBeGreaterThanOrEqual(1)
    }).pipe(Effect.provide(Otel)))

  it.live("a fallback: its reason on the logical span and in llm.fallbacks; the breaker gauge shows it open", () =>
    Effect.gen(function*() {
      const fallbackTags = { [Attr.reason]: "auth_failed", [Attr.from]: "openai", [Attr.to]: "anthropic" }
      const before = Number((yield* exported("llm.fallbacks", fallbackTags)).points[0]?.value ?? 0)
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
      const fallbacks = yield* exported("llm.fallbacks", fallbackTags)
      expect(fallbacks.metric).toMatchObject({ isMonotonic: true })
      expect(fallbacks.points[0]?.value).toBe(before + 1)
      const gauge = yield* exported("llm.breaker.state", { [Attr.provider]: "openai", [Attr.family]: "chat" })
      expect(gauge.points.map((p) => p.value)).toEqual([2])
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
      const ttfc = yield* exported("gen_ai.client.operation.time_to_first_chunk", callTags(true, "openai", "gpt-stream-ok"))
      expect(ttfc.metric?.descriptor.unit).toBe("s")
      expect(histogram(ttfc.points[0]).count).toBe(1)
      const duration = yield* exported("gen_ai.client.operation.duration", callTags(true, "openai", "gpt-stream-ok"))
      expect(histogram(duration.points[0]).count).toBe(1)
      expect(histogram(duration.points[0]).sum).toBeGreaterThanOrEqual(histogram(ttfc.points[0]).sum)
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
      expect((yield* exported("llm.usage.unknown", tags)).points.map((p) => p.value)).toEqual([1])
      // No token counts at all: never a 0 for what was not reported.
      expect((yield* exported("gen_ai.client.token.usage", tags)).points).toEqual([])
      const failed = yield* exported("gen_ai.client.operation.duration", { ...tags, [Attr.errorType]: "stream_interrupted" })
      expect(histogram(failed.points[0]).count).toBe(1)
    }).pipe(Effect.provide(Otel)))
})
