import { Config, Context, Effect, Layer } from "effect"
import { withMemoryFallback } from "./RateLimit/Fallback.js"
import { makeMemoryStore } from "./RateLimit/MemoryStore.js"
import { makeRedisStore } from "./RateLimit/RedisStore.js"
import { Redis } from "./Redis.js"

export interface RateDecision {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  /** Milliseconds until the window resets. */
  readonly resetMs: number
}

/**
 * Counts requests per key in fixed windows. `memory` serves one instance; `redis` shares the
 * counts between every instance on the same Redis (atomically), and counts in memory while
 * Redis is unreachable. Never fails: an answer always comes, from one store or the other.
 */
export class RateLimiter extends Context.Tag("RateLimiter")<RateLimiter, {
  readonly consume: (key: string, limit: number, windowMs: number) => Effect.Effect<RateDecision>
}>() {
  static readonly memory = Layer.effect(RateLimiter, Effect.map(Effect.clock, makeMemoryStore))

  static readonly redis = Layer.effect(
    RateLimiter,
    Effect.map(Effect.zip(Redis, Effect.clock), ([redis, clock]) =>
      withMemoryFallback({
        redis: makeRedisStore(redis),
        memory: makeMemoryStore(clock),
        isReady: redis.isReady,
        location: redis.location
      }))
  )
}

/** The limit of each tier, per minute. */
export interface RateLimitTiers {
  /** Sign-up and sign-in attempts per client address. */
  readonly signInPerMinute: number
  /** Sign-up and sign-in attempts per account (the email, normalised), whatever the address. */
  readonly signInAccountPerMinute: number
  /** Refreshes per client address (a budget apart from sign-in's). */
  readonly refreshPerMinute: number
  /** Calls to AI routes (quiz generation, coaching) per user. */
  readonly aiPerMinute: number
  /** Every other API request, per user when authenticated, else per client address. */
  readonly generalPerMinute: number
}

const perMinute = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "Expected a positive integer", validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )

export const rateLimitTiers: Config.Config<RateLimitTiers> = Config.all({
  signInPerMinute: perMinute("RATE_LIMIT_SIGNIN_PER_MINUTE", 10),
  signInAccountPerMinute: perMinute("RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE", 5),
  // A browser refreshes once per access-token lifetime (15 min) per tab, on a reload and after a
  // 401: rarely, but all at once when a classroom behind one address reloads together. A refresh
  // costs a hash and a few statements (no password KDF), and a refresh token (256 random bits)
  // cannot be guessed, so the tier only has to stop floods: 60 lets 30 learners on one address
  // reload twice in the same minute, six times what an address may spend on sign-in.
  refreshPerMinute: perMinute("RATE_LIMIT_REFRESH_PER_MINUTE", 60),
  aiPerMinute: perMinute("RATE_LIMIT_AI_PER_MINUTE", 10),
  generalPerMinute: perMinute("RATE_LIMIT_GENERAL_PER_MINUTE", 600)
})

/**
 * `RATE_LIMIT_SIGNIN_PER_MINUTE` (10), `RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE` (5),
 * `RATE_LIMIT_REFRESH_PER_MINUTE` (60), `RATE_LIMIT_AI_PER_MINUTE` (10),
 * `RATE_LIMIT_GENERAL_PER_MINUTE` (600).
 */
export class RateLimitConfig extends Context.Tag("RateLimitConfig")<RateLimitConfig, RateLimitTiers>() {
  static readonly Live = Layer.effect(RateLimitConfig, rateLimitTiers)
  static readonly layer = (tiers: RateLimitTiers) => Layer.succeed(RateLimitConfig, tiers)
}

/** Every tier counts in windows of one minute. */
export const WINDOW_MS = 60_000

/** IETF draft RateLimit headers, plus Retry-After when refused. */
export const rateLimitHeaders = (decision: RateDecision): Record<string, string> => {
  const reset = String(Math.max(1, Math.ceil(decision.resetMs / 1000)))
  const headers: Record<string, string> = {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": reset
  }
  if (!decision.allowed) headers["retry-after"] = reset
  return headers
}
