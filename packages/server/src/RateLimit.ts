import { Clock, Config, Context, Effect, Layer } from "effect"

export interface RateDecision {
  readonly allowed: boolean
  readonly limit: number
  readonly remaining: number
  /** Milliseconds until the window resets. */
  readonly resetMs: number
}

/**
 * Counts requests per key in fixed windows. The memory store serves one instance; a shared
 * (Redis) store for several instances arrives with the rest of the rate-limiting work.
 */
export class RateLimiter extends Context.Tag("RateLimiter")<RateLimiter, {
  readonly consume: (key: string, limit: number, windowMs: number) => Effect.Effect<RateDecision>
}>() {
  static readonly memory = Layer.sync(RateLimiter, () => {
    const windows = new Map<string, { start: number; count: number }>()
    return {
      consume: (key, limit, windowMs) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          // Forget finished windows now and then, so the map stays bounded by active clients.
          if (windows.size > 10_000) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
          const current = windows.get(key)
          const window = current === undefined || now - current.start >= windowMs ? { start: now, count: 0 } : current
          window.count++
          windows.set(key, window)
          return {
            allowed: window.count <= limit,
            limit,
            remaining: Math.max(0, limit - window.count),
            resetMs: window.start + windowMs - now
          }
        })
    }
  })
}

/** `RATE_LIMIT_SIGNIN_PER_MINUTE` (default 10): sign-up, sign-in and refresh attempts per client address. */
export class RateLimitConfig extends Context.Tag("RateLimitConfig")<RateLimitConfig, {
  readonly signInPerMinute: number
}>() {
  static readonly Live = Layer.effect(
    RateLimitConfig,
    Effect.map(
      Config.integer("RATE_LIMIT_SIGNIN_PER_MINUTE").pipe(
        Config.validate({ message: "Expected a positive integer", validation: (n) => n > 0 }),
        Config.withDefault(10)
      ),
      (signInPerMinute) => ({ signInPerMinute })
    )
  )
  static readonly layer = (config: { readonly signInPerMinute: number }) => Layer.succeed(RateLimitConfig, config)
}

/** IETF draft RateLimit headers, plus Retry-After when refused. */
export const rateLimitHeaders = (decision: RateDecision): Record<string, string> => {
  const reset = String(Math.ceil(decision.resetMs / 1000))
  return {
    "ratelimit-limit": String(decision.limit),
    "ratelimit-remaining": String(decision.remaining),
    "ratelimit-reset": reset,
    ...(decision.allowed ? {} : { "retry-after": reset })
  }
}
