import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Wire } from "./Errors.js"

export class DependencyCheck extends Schema.Class<DependencyCheck>("DependencyCheck")({
  status: Schema.Literal("up", "down"),
  latencyMs: Schema.Number,
  message: Schema.optional(Schema.String)
}) {}

export class Health extends Schema.Class<Health>("Health")({
  status: Schema.Literal("ok", "degraded"),
  version: Schema.String,
  uptimeSeconds: Schema.Number,
  checks: Schema.Record({ key: Schema.String, value: DependencyCheck })
}) {}

export const healthEndpoint = HttpApiEndpoint.get("health", "/health")
  .addSuccess(Health)
  .addError(Wire.ServiceUnavailable)
  .annotate(
    OpenApi.Description,
    "Liveness and readiness. 503 with one detail per failing dependency when a required one is down."
  )

export class HealthApi extends HttpApiGroup.make("health")
  .add(healthEndpoint)
  .annotate(OpenApi.Title, "Health")
{}
