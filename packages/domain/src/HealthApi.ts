import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Wire } from "./Errors.js"

export class DependencyCheck extends Schema.Class<DependencyCheck>("DependencyCheck")({
  status: Schema.Literal("up", "down"),
  latencyMs: Schema.Number,
  message: Schema.optional(Schema.String)
}) {}

/** The LLM providers the gateway can use. */
export const LlmProviderName = Schema.Literal("openai", "anthropic", "offline")
export type LlmProviderName = typeof LlmProviderName.Type

/** One circuit breaker of the LLM gateway: a (provider, operation family) pair. */
export class LlmBreaker extends Schema.Class<LlmBreaker>("LlmBreaker")({
  provider: LlmProviderName,
  /** The operation family it guards: `chat`, `stream`, … */
  family: Schema.String,
  state: Schema.Literal("closed", "open", "half-open"),
  consecutiveFailures: Schema.Number,
  /** While open: milliseconds until it lets a probe through (half-open). */
  retryAfterMs: Schema.optional(Schema.Number)
}) {}

export class LlmHealth extends Schema.Class<LlmHealth>("LlmHealth")({
  /** The configured order of preference (`LLM_PROVIDERS`); the gateway falls back along it. */
  providers: Schema.Array(LlmProviderName),
  /** Every breaker of every configured provider, in that order (closed until it has seen failures). */
  breakers: Schema.Array(LlmBreaker)
}) {}

export class Health extends Schema.Class<Health>("Health")({
  status: Schema.Literal("ok", "degraded"),
  version: Schema.String,
  uptimeSeconds: Schema.Number,
  checks: Schema.Record({ key: Schema.String, value: DependencyCheck }),
  llm: LlmHealth
}) {}

export const healthEndpoint = HttpApiEndpoint.get("health", "/health")
  .addSuccess(Health)
  .addError(Wire.ServiceUnavailable)
  .annotate(
    OpenApi.Description,
    "Liveness and readiness. 503 with one detail per failing dependency when a required one is down. " +
      "`llm` lists the LLM providers in their configured order and the state of each circuit breaker; " +
      "an open breaker never makes this endpoint fail: the gateway falls back to the next provider " +
      "(the offline one at worst), so learners are still served."
  )

export class HealthApi extends HttpApiGroup.make("health")
  .add(healthEndpoint)
  .annotate(OpenApi.Title, "Health")
{}
