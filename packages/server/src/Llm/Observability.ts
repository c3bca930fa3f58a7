import { Effect, Metric, MetricBoundaries, MetricLabel } from "effect"
import type { BreakerState, BreakerTransition } from "./Breaker.js"
import { errorType, type LlmError, type LlmProviderId } from "./Errors.js"
import type { FinishReason, Usage } from "./Provider.js"

/**
 * What the LLM gateway tells operators: OpenTelemetry span attributes following the GenAI
 * semantic conventions, and Effect metrics (exported through `@effect/opentelemetry` when a
 * metric reader is configured).
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

export const metrics = {
  /** Seconds per logical call; tagged operation, provider, model, and `error.type` on failure. */
  operationDuration: Metric.histogram(
    "gen_ai.client.operation.duration",
    durationBuckets,
    "GenAI operation duration, seconds"
  ),
  /** Tokens per call, tagged `gen_ai.token.type` (input / output), provider, model. */
  tokenUsage: Metric.histogram("gen_ai.client.token.usage", tokenBuckets, "Number of input and output tokens used"),
  /** Calls whose usage is unknown (not reported, or the stream broke before it arrived). */
  usageUnknown: Metric.counter("llm.usage.unknown", { description: "LLM calls whose token usage is unknown", incremental: true }),
  /** Seconds from the start of a streamed call to its first text chunk reaching the caller. */
  timeToFirstChunk: Metric.histogram(
    "gen_ai.client.operation.time_to_first_chunk",
    durationBuckets,
    "Time to the first chunk of a streamed answer, seconds"
  ),
  /** 0 closed, 1 half-open, 2 open; tagged provider and family. */
  breakerState: Metric.gauge("llm.breaker.state", { description: "LLM circuit breaker state: 0 closed, 1 half-open, 2 open" }),
  /** Fallbacks from one provider to the next, tagged reason (`error.type`), from, to. */
  fallbacks: Metric.counter("llm.fallbacks", { description: "LLM fallbacks to the next provider", incremental: true }),
  /** Retries on the same provider, tagged reason and provider. */
  retries: Metric.counter("llm.retries", { description: "LLM retries on the same provider", incremental: true })
} as const

export const breakerStateValue = (state: BreakerState): number =>
  state === "closed" ? 0 : state === "half-open" ? 1 : 2

/** `metric` with these tags (data-first, so the metric's input type is kept). */
export const withTags = <Type, In, Out>(
  metric: Metric.Metric<Type, In, Out>,
  tags: Readonly<Record<string, string>>
): Metric.Metric<Type, In, Out> =>
  Metric.taggedWithLabels(metric, Object.entries(tags).map(([key, value]) => MetricLabel.make(key, value)))

const common = (operation: Operation, provider: LlmProviderId, model: string) =>
<Type, In, Out>(metric: Metric.Metric<Type, In, Out>, extra: Readonly<Record<string, string>> = {}) =>
  withTags(metric, {
    [Attr.operation]: "chat",
    [Attr.streaming]: operation === "stream" ? "true" : "false",
    [Attr.provider]: provider,
    [Attr.requestModel]: model,
    ...extra
  })

/** Feeds `llm.breaker.state` from a breaker transition (pass it to `makeBreakers({ onTransition })`). */
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
