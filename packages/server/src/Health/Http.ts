import { Api, healthEndpoint } from "@compilar/domain"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Health } from "../Health.js"
import { fromEndpoint } from "../Http/FastRoute.js"

export const HealthHttpLive = HttpApiBuilder.group(Api, "health", (handlers) =>
  Effect.map(Health, (health) => handlers.handle("health", () => health.report())))

/** Load balancers and monitors poll /health constantly: it takes the fast path. */
export const healthFastRoute = Effect.map(Health, (health) => fromEndpoint(healthEndpoint, health.report()))
