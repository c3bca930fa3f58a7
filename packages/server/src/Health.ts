import { DependencyCheck, ErrorDetail, Health as HealthReport, ServiceUnavailable } from "@compilar/domain"
import { Clock, Duration, Effect } from "effect"
import { Database } from "./Database.js"
import { version } from "./Version.js"

/** Load balancers poll /health often; one probe per second is enough and spares the database. */
const PROBE_TTL = Duration.seconds(1)

/**
 * Readiness of the server and its dependencies. The database is required: when it does not
 * answer (the probe gives up after two seconds) the answer is a 503 with one detail per
 * failing dependency. Probe results are shared for a second, so a burst of checks costs one query.
 */
export class Health extends Effect.Service<Health>()("Health", {
  effect: Effect.gen(function*() {
    const db = yield* Database
    const startedAt = yield* Clock.currentTimeMillis
    const database = yield* db.ping.pipe(
      Effect.match({
        onSuccess: (latencyMs) => new DependencyCheck({ status: "up", latencyMs: Math.round(latencyMs) }),
        onFailure: (error) => new DependencyCheck({ status: "down", latencyMs: 0, message: error.message })
      }),
      Effect.cachedWithTTL(PROBE_TTL)
    )

    const report = Effect.fn("Health.report")(function*() {
      const checks = { database: yield* database }
      const failing = Object.entries(checks).filter(([, check]) => check.status === "down")
      if (failing.length > 0) {
        return yield* new ServiceUnavailable({
          message: "A required dependency is unavailable.",
          details: failing.map(([name, check]) =>
            new ErrorDetail({ path: `checks.${name}`, message: check.message ?? "down" })
          )
        })
      }
      const now = yield* Clock.currentTimeMillis
      return new HealthReport({ status: "ok", version, uptimeSeconds: Math.round((now - startedAt) / 1000), checks })
    })
    return { report } as const
  })
}) {}
