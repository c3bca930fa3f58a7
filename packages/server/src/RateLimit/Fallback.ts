import { Clock, Effect } from "effect"
import type { RateDecision } from "../RateLimit.js"
import type { RedisStoreFailed } from "./RedisStore.js"

interface Store<E> {
  readonly consume: (key: string, limit: number, windowMs: number) => Effect.Effect<RateDecision, E>
}

/** After a command failed on a connection that looked fine (a hung server), how long to count in memory before trying Redis again. */
const pauseAfterFailureMs = 1_000

const describe = (error: RedisStoreFailed) => error.cause instanceof Error ? error.cause.message : String(error.cause)

/**
 * Counts in Redis while it answers and in this instance's memory while it does not, so that a
 * Redis outage never fails or slows a request: with the connection down the memory store
 * answers at once (nothing waits on a timeout); a command that fails on a connection that
 * looked up (a hung server) costs that one request the command timeout, then Redis is left
 * alone for a second. Each switch is logged once: a warning when falling back, an info line
 * when Redis is back. During an outage each instance enforces the limits on its own, so a
 * client spread over n instances gets up to n times the limit until Redis returns.
 */
export const withMemoryFallback = (options: {
  readonly redis: Store<RedisStoreFailed>
  readonly memory: Store<never>
  readonly isReady: () => boolean
  /** `host:port`, for the log lines. */
  readonly location: string
}) => {
  // Start-up already said whether Redis answered (Redis.ts); only changes are logged from here.
  let onRedis = options.isReady()
  let pausedUntil = 0

  const fallBack = (reason: string) =>
    Effect.suspend(() => {
      if (!onRedis) return Effect.void
      onRedis = false
      return Effect.logWarning(
        `Rate limiter: Redis at ${options.location} is unreachable (${reason}); counting in this instance's memory until it returns`
      )
    })

  const recovered = Effect.suspend(() => {
    if (onRedis) return Effect.void
    onRedis = true
    return Effect.logInfo(`Rate limiter: Redis at ${options.location} answers again; counting in Redis`)
  })

  return {
    consume: (key: string, limit: number, windowMs: number): Effect.Effect<RateDecision> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const inMemory = options.memory.consume(key, limit, windowMs)
        if (!options.isReady()) return Effect.zipRight(fallBack("not connected"), inMemory)
        if (now < pausedUntil) return inMemory
        return options.redis.consume(key, limit, windowMs).pipe(
          Effect.tap(() => recovered),
          Effect.catchAll((error) => {
            pausedUntil = now + pauseAfterFailureMs
            return Effect.zipRight(fallBack(describe(error)), inMemory)
          })
        )
      })
  }
}
