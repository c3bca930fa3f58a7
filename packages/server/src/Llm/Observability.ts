import { Effect, Metric, MetricBoundaries, MetricLabel } from "effect"
import type { BreakerState, BreakerTransition } from "./Breaker.js"
import { errorType, type LlmError, type LlmProviderId } from "./Errors.js"
import type { FinishReason, Usage } from "./Provider.js"

/**
 * What the LLM gateway tells operators: OpenTelemetry span attributes following the GenAI
 * semantic conventions, and Effect metrics (exported over OTLP by `TelemetryLive`, or read by any
 * OpenTelemetry metric reader through `@effect/opentelemetry`'s `Metrics` producer).
 *
 * Spans (made by the gateway):
 * - one span per logical call, `Llm.chat` / `Llm.stream` (kind client), carrying the provider and
 *   model that answered, usage, finish reasons, fallbacks, time to first token, `error.type`;
 * - a child per attempt, `chat {model}`, carrying `llm.attempt` (1-based), the provider, model and
 *   the attempt's own outcome.
 *
 * Usage a provider did not report (or a stream that broke before its usage arrived) is recorded
 * as `llm.usage = "unknown"` and the `gen_ai.usage.*` attributes are left out: never a 0.
 */

export const Attr = {
  operation: "gen_ai.operation.name",
  /** Deprecated name of `gen_ai.provider.name`, still read by most backends. */
  system: "gen_ai.system",
  provider: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  responseModel: "gen_ai.response.model",
  maxTokens: "gen_ai.request.max_tokens",
  temperature: "gen_ai.request.temperature",
  inputTokens: "gen_ai.usage.input_tokens",
  outputTokens: "gen_ai.usage.output_tokens",
  finishReasons: "gen_ai.response.finish_reasons",
  tokenType: "gen_ai.token.type",
  errorType: "error.type",
  /** `"reported"` or `"unknown"`. */
  usage: "llm.usage",
  streaming: "llm.streaming",
  attempt: "llm.attempt",
  attempts: "llm.attempts",
  fallbacks: "llm.fallbacks",
  fallbackReasons: "llm.fallback.reasons",
  providersTried: "llm.providers_tried",
  timeToFirstTokenMs: "llm.time_to_first_token_ms",
  reason: "llm.fallback.reason",
  from: "llm.fallback.from",
  to: "llm.fallback.to",
  breakerKey: "llm.breaker",
  family: "llm.breaker.family"
} as const

export type Operation = "chat" | "stream"

/** GenAI's finish reason names (`stop`, `length`, `tool_calls`, `content_filter`, …). */
export const genAiFinishReason = (reason: FinishReason): string => (reason === "tool" ? "tool_calls" : reason)

/** The span attributes of a provider and model (the request's model is the one the provider is configured with). */
export const modelAttributes = (provider: LlmProviderId, model: string): Record<string, unknown> => ({
  [Attr.system]: provider,
  [Attr.provider]: provider,
  [Attr.requestModel]: model
})

/** Usage as span attributes: the token counts, or `llm.usage = "unknown"` (never 0). */
export const usageAttributes = (usage: Usage): Record<string, unknown> =>
  usage === "unknown"
    ? { [Attr.usage]: "unknown" }
    : { [Attr.usage]: "reported", [Attr.inputTokens]: usage.inputTokens, [Attr.outputTokens]: usage.outputTokens }

export const errorAttributes = (error: LlmError): Record<string, unknown> => ({ [Attr.errorType]: errorType(error) })

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/** The GenAI semantic conventions' advised buckets for durations, in seconds. */
const durationBuckets = MetricBoundaries.fromIterable([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
])

/** The GenAI semantic conventions' advised buckets for token counts. */
const tokenBuckets = MetricBoundaries.fromIterable([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
])

/**
 * Effect's OTLP exporters read a metric's unit from its `unit` tag (it is also sent as an
 * attribute): `s` and `{token}` as the GenAI conventions say, so a Prometheus backend names them
 * `…_seconds`, and annotations (`{…}`, dropped from Prometheus names) elsewhere.
 */
const unit = <Type, In, Out>(metric: Metric.Metric<Type, In, Out>, value: string) => Metric.tagged(metric, "unit", value)

export const metrics = {
  /** Seconds per logical call; tagged operation, provider, model, and `error.type` on failure. */
  operationDuration: unit(
    Metric.histogram("gen_ai.client.operation.duration", durationBuckets, "GenAI operation duration"),
    "s"
  ),
  /** Tokens per call, tagged `gen_ai.token.type` (input / output), provider, model. */
  tokenUsage: unit(
    Metric.histogram("gen_ai.client.token.usage", tokenBuckets, "Number of input and output tokens used"),
    "{token}"
  ),
  /** Calls whose usage is unknown (not reported, or the stream broke before it arrived). */
  usageUnknown: unit(
    Metric.counter("llm.usage.unknown", { description: "LLM calls whose token usage is unknown", incremental: true }),
    "{call}"
  ),
  /** Seconds from the start of a streamed call to its first text chunk reaching the caller. */
  timeToFirstChunk: unit(
    Metric.histogram(
      "gen_ai.client.operation.time_to_first_chunk",
      durationBuckets,
      "Time to the first chunk of a streamed answer"
    ),
    "s"
  ),
  /** 0 closed, 1 half-open, 2 open; tagged provider and family. */
  breakerState: unit(
    Metric.gauge("llm.breaker.state", { description: "LLM circuit breaker state: 0 closed, 1 half-open, 2 open" }),
    "{state}"
  ),
  /** Fallbacks from one provider to the next, tagged reason (`error.type`), from, to. */
  fallbacks: unit(
    Metric.counter("llm.fallbacks", { description: "LLM fallbacks to the next provider", incremental: true }),
    "{fallback}"
  ),
  /** Retries on the same provider, tagged reason and provider. */
  retries: unit(
    Metric.counter("llm.retries", { description: "LLM retries on the same provider", incremental: true }),
    "{retry}"
  )
} as const

export const breakerStateValue = (state: BreakerState): number =>
  state === "closed" ? 0 : state === "half-open" ? 1 : 2

/**
 * Tagged metrics already made, per metric and tag set. Making one builds and hashes a new metric
 * key (its description formatted to a string included): too slow to do for every call. The tag
 * sets are few (providers × models × error types).
 */
const taggedCache = new WeakMap<object, Map<string, unknown>>()

/** `metric` with these tags (data-first, so the metric's input type is kept). */
export const withTags = <Type, In, Out>(
  metric: Metric.Metric<Type, In, Out>,
  tags: Readonly<Record<string, string>>
): Metric.Metric<Type, In, Out> => {
  let byTags = taggedCache.get(metric)
  if (byTags === undefined) {
    byTags = new Map()
    taggedCache.set(metric, byTags)
  }
  const entries = Object.entries(tags)
  const key = JSON.stringify(entries)
  const cached = byTags.get(key) as Metric.Metric<Type, In, Out> | undefined
  if (cached !== undefined) return cached
  const tagged = Metric.taggedWithLabels(metric, entries.map(([name, value]) => MetricLabel.make(name, value)))
  byTags.set(key, tagged)
  return tagged
}

const common = (operation: Operation, provider: LlmProviderId, model: string) =>
<Type, In, Out>(metric: Metric.Metric<Type, In, Out>, extra: Readonly<Record<string, string>> = {}) =>
  withTags(metric, {
    [Attr.operation]: "chat",
    [Attr.streaming]: operation === "stream" ? "true" : "false",
    [Attr.provider]: provider,
    [Attr.requestModel]: model,
    ...extra
  })

/**
 * What every breaker transition does (pass it to `makeBreakers({ onTransition })`): a warning
 * naming the provider, family and reason, and the `llm.breaker.state` gauge.
 */
export const reportBreakerTransition = (t: BreakerTransition): Effect.Effect<void> =>
  Effect.logWarning(`LLM breaker ${t.key}: ${t.from} → ${t.to}`).pipe(
    Effect.annotateLogs({ provider: t.provider, family: t.family, reason: t.reason }),
    Effect.zipRight(recordBreakerTransition(t))
  )

/** Feeds `llm.breaker.state` from a breaker transition. */
export const recordBreakerTransition = (t: BreakerTransition): Effect.Effect<void> =>
  setBreakerState(t.provider, t.family, t.to)

export const setBreakerState = (provider: LlmProviderId, family: string, state: BreakerState): Effect.Effect<void> =>
  Metric.set(withTags(metrics.breakerState, { [Attr.provider]: provider, [Attr.family]: family }), breakerStateValue(state))

export const recordFallback = (from: LlmProviderId, error: LlmError, to: LlmProviderId | undefined) =>
  Metric.increment(withTags(metrics.fallbacks, { [Attr.reason]: errorType(error), [Attr.from]: from, [Attr.to]: to ?? "none" }))

export const recordRetry = (provider: LlmProviderId, error: LlmError) =>
  Metric.increment(withTags(metrics.retries, { [Attr.reason]: errorType(error), [Attr.provider]: provider }))

export interface CallMeasures {
  readonly operation: Operation
  readonly provider: LlmProviderId
  readonly model: string
  readonly durationSeconds: number
  /** Undefined when the call failed before any answer (nothing to count). */
  readonly usage: Usage | undefined
  readonly error: LlmError | undefined
  readonly timeToFirstChunkSeconds: number | undefined
}

/** Records one logical call's duration, usage (or `llm.usage.unknown`) and time to first chunk. */
export const recordCall = (m: CallMeasures): Effect.Effect<void> => {
  const tag = common(m.operation, m.provider, m.model)
  const duration = tag(metrics.operationDuration, m.error === undefined ? {} : { [Attr.errorType]: errorType(m.error) })
  const usage = m.usage
  return Effect.all([
    Metric.update(duration, m.durationSeconds),
    usage === undefined
      ? Effect.void
      : usage === "unknown"
      ? Metric.increment(tag(metrics.usageUnknown))
      : Effect.zipRight(
        Metric.update(tag(metrics.tokenUsage, { [Attr.tokenType]: "input" }), usage.inputTokens),
        Metric.update(tag(metrics.tokenUsage, { [Attr.tokenType]: "output" }), usage.outputTokens)
      ),
    m.timeToFirstChunkSeconds === undefined
      ? Effect.void
      : Metric.update(tag(metrics.timeToFirstChunk), m.timeToFirstChunkSeconds)
  ], { discard: true })
}

export interface EmbedMeasures {
  readonly provider: LlmProviderId
  readonly model: string
  readonly durationSeconds: number
  /** Undefined when the call failed. */
  readonly usage: Usage | undefined
  readonly error: LlmError | undefined
}

/** Records one embeddings call: `gen_ai.client.operation.duration` and input tokens, operation `embeddings`. */
export const recordEmbed = (m: EmbedMeasures): Effect.Effect<void> => {
  const tags = { [Attr.operation]: "embeddings", [Attr.provider]: m.provider, [Attr.requestModel]: m.model }
  const usage = m.usage
  return Effect.zipRight(
    Metric.update(
      withTags(metrics.operationDuration, m.error === undefined ? tags : { ...tags, [Attr.errorType]: errorType(m.error) }),
      m.durationSeconds
    ),
    usage === undefined
      ? Effect.void
      : usage === "unknown"
      ? Metric.increment(withTags(metrics.usageUnknown, tags))
      : Metric.update(withTags(metrics.tokenUsage, { ...tags, [Attr.tokenType]: "input" }), usage.inputTokens)
  )
}
