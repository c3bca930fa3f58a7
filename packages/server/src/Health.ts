import {
  DependencyCheck,
  ErrorDetail,
  Health as HealthReport,
  LlmBreaker,
  LlmHealth,
  ServiceUnavailable
} from "@compilar/domain"
import { Clock, Deferred, Duration, Effect, Either, identity, Option } from "effect"
import { Database } from "./Database.js"
import { Llm, type LlmService } from "./Llm.js"
import { RedisCheck } from "./Redis.js"
import type { BreakerSnapshot } from "./Llm/Breaker.js"
import { version } from "./Version.js"

/** Load balancers poll /health often; one probe per second is enough and spares the database. */
const PROBE_TTL = Duration.seconds(1)

/**
 * The result of `probe`, shared for `ttl`: while fresh it is returned without waiting on
 * anything; once stale, the first caller runs the probe and concurrent callers wait for that
 * one run. (`Effect.cachedWithTTL` takes a semaphore on every call, which under a burst of
 * concurrent polls made fibers queue behind each other: a third of /health's throughput.)
 */
const sharedFor = <A>(ttl: Duration.Duration, probe: Effect.Effect<A>) =>
  Effect.sync(() => {
    const ttlMs = Duration.toMillis(ttl)
    let latest: { readonly at: number; readonly value: A } | undefined
    let running: Deferred.Deferred<A> | undefined
    const refresh = Effect.gen(function*() {
      const deferred = yield* Deferred.make<A>()
      running = deferred
      const value = yield* probe
      latest = { at: yield* Clock.currentTimeMillis, value }
      running = undefined
      yield* Deferred.succeed(deferred, value)
      return value
    }).pipe(Effect.uninterruptible)
    return Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<A> => {
      if (latest !== undefined && now - latest.at < ttlMs) return Effect.succeed(latest.value)
      return running === undefined ? refresh : Deferred.await(running)
    })
  })

/**
 * The gateway's operation families. Breakers are created on first use; until then a configured
 * provider's breakers are reported closed, so /health lists the same rows from the first poll.
 */
const breakerFamilies = ["chat", "stream"] as const

/** Each configured provider's breakers (plus any other the gateway has made), in provider order then family. */
export const llmHealth = (llm: LlmService): Effect.Effect<LlmHealth> =>
  Effect.map(llm.breakers, (snapshots) => {
    const rows = new Map<string, LlmBreaker>()
    for (const provider of llm.providers) {
      for (const family of breakerFamilies) {
        rows.set(`${provider}:${family}`, new LlmBreaker({ provider, family, state: "closed", consecutiveFailures: 0 }, true))
      }
    }
    for (const s of snapshots) rows.set(s.key, breakerRow(s))
    const rank = (provider: string) => {
      const i = llm.providers.indexOf(provider as (typeof llm.providers)[number])
      return i < 0 ? llm.providers.length : i
    }
    const breakers = [...rows.values()].sort((a, b) =>
      rank(a.provider) - rank(b.provider) || a.provider.localeCompare(b.provider) || a.family.localeCompare(b.family)
    )
    return new LlmHealth({ providers: llm.providers, breakers }, true)
  })

const breakerRow = (s: BreakerSnapshot) =>
  new LlmBreaker({
    provider: s.provider,
    family: s.family,
    state: s.state,
    consecutiveFailures: s.consecutiveFailures,
    ...(s.retryAfterMs === undefined ? {} : { retryAfterMs: s.retryAfterMs })
  }, true)

/**
 * Readiness of the server and its dependencies. The database is required: when it does not
 * answer (the probe gives up after two seconds) the answer is a 503 with one detail per
 * failing dependency. Probe results are shared for a second, so a burst of checks costs one query.
 * The LLM breakers are reported, never judged: with one open the gateway falls back (to the
 * offline provider at worst), so the answer stays 200.
 */
export class Health extends Effect.Service<Health>()("Health", {
  effect: Effect.gen(function*() {
    const db = yield* Database
    const llm = yield* Llm
    const startedAt = yield* Clock.currentTimeMillis
    const probeDatabase = db.ping.pipe(
      Effect.match({
        onSuccess: (latencyMs) => DependencyCheck.make({ status: "up", latencyMs: Math.round(latencyMs) }),
        onFailure: (error) => DependencyCheck.make({ status: "down", latencyMs: 0, message: error.message })
      })
    )

    // Only when REDIS_URL is set; never required (the rate limiter falls back to memory): down is "degraded".
    const redis = yield* Effect.serviceOption(RedisCheck)
    const probeRedis = Option.map(redis, ({ ping }) =>
      ping.pipe(
        Effect.match({
          onSuccess: (latencyMs) => DependencyCheck.make({ status: "up", latencyMs: Math.round(latencyMs) }),
          onFailure: (error) => DependencyCheck.make({ status: "down", latencyMs: 0, message: error.message })
        })
      ))

    const assess = Effect.gen(function*() {
      const required = { database: yield* probeDatabase }
      const failing = Object.entries(required).filter(([, check]) => check.status === "down")
      if (failing.length > 0) {
        return Either.left(
          new ServiceUnavailable({
            message: "A required dependency is unavailable.",
            details: failing.map(([name, check]) =>
              new ErrorDetail({ path: `checks.${name}`, message: check.message ?? "down" })
            )
          })
        )
      }
      const redisCheck = Option.isSome(probeRedis) ? yield* probeRedis.value : undefined
      const checks = redisCheck === undefined ? required : { ...required, redis: redisCheck }
      const status = redisCheck?.status === "down" ? "degraded" : "ok"
      const llmReport = yield* llmHealth(llm)
      const now = yield* Clock.currentTimeMillis
      // Built from typed values: skip the constructor's re-validation (the encoder still checks on the way out).
      return Either.right(
        new HealthReport({ status, version, uptimeSeconds: Math.round((now - startedAt) / 1000), checks, llm: llmReport },
          true
        )
      )
    })

    // The whole assessment is shared for a second: a burst of polls costs one probe and one report.
    const latest = yield* sharedFor(PROBE_TTL, assess)
    const report = (): Effect.Effect<HealthReport, ServiceUnavailable> => Effect.flatMap(latest, identity)
    return { report } as const
  })
}) {}
