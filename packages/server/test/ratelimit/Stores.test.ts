import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, type Scope, TestClock } from "effect"
import { RateLimiter, rateLimitHeaders } from "../../src/RateLimit.js"
import { Redis } from "../../src/Redis.js"
import { freshRedis, inspector, redisUrl } from "../support/TestRedis.js"

/** The limiter on each store, and how to let time pass for it (the memory store reads the Effect clock, Redis its own). */
interface Store {
  readonly name: string
  readonly layer: Effect.Effect<Layer.Layer<RateLimiter>, never, Scope.Scope>
  readonly elapse: (ms: number) => Effect.Effect<void>
}

const memory: Store = { name: "memory", layer: Effect.succeed(RateLimiter.memory), elapse: TestClock.adjust }

const redis: Store = {
  name: "redis",
  layer: Effect.map(freshRedis(), (settings) => RateLimiter.redis.pipe(Layer.provide(Redis.layer(settings)))),
  elapse: (ms) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))
}

const stores = redisUrl === undefined ? [memory] : [memory, redis]

describe.each(stores)("rate limiter, $name store", (store) => {
  const withLimiter = <A, E>(f: (limiter: RateLimiter["Type"]) => Effect.Effect<A, E>) =>
    Effect.flatMap(store.layer, (layer) => Effect.flatMap(RateLimiter, f).pipe(Effect.provide(layer)))

  it.scoped("counts down, refuses past the limit, and says when the window resets", () =>
    withLimiter((limiter) =>
      Effect.gen(function*() {
        const decisions = []
        for (let i = 0; i < 5; i++) decisions.push(yield* limiter.consume("k", 3, 60_000))
        expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
          [true, 2],
          [true, 1],
          [true, 0],
          [false, 0],
          [false, 0]
        ])
        for (const d of decisions) {
          expect(d.limit).toBe(3)
          expect(d.resetMs).toBeGreaterThan(55_000)
          expect(d.resetMs).toBeLessThanOrEqual(60_000)
        }
        expect(rateLimitHeaders(decisions[3]!)).toMatchObject({ "ratelimit-remaining": "0", "retry-after": "60" })
        // Another key has its own count.
        expect((yield* limiter.consume("other", 3, 60_000)).remaining).toBe(2)
      })
    ))

  it.scoped("a new window starts fresh", () =>
    withLimiter((limiter) =>
      Effect.gen(function*() {
        for (let i = 0; i < 3; i++) yield* limiter.consume("w", 2, 300)
        expect((yield* limiter.consume("w", 2, 300)).allowed).toBe(false)
        yield* store.elapse(350)
        const fresh = yield* limiter.consume("w", 2, 300)
        expect(fresh).toMatchObject({ allowed: true, remaining: 1 })
      })
    ))

  it.scoped("concurrent requests never get more than the limit between them", () =>
    withLimiter((limiter) =>
      Effect.gen(function*() {
        const decisions = yield* Effect.all(
          Array.from({ length: 60 }, () => limiter.consume("burst", 25, 60_000)),
          { concurrency: "unbounded" }
        )
        expect(decisions.filter((d) => d.allowed)).toHaveLength(25)
        expect(new Set(decisions.filter((d) => d.allowed).map((d) => d.remaining)).size).toBe(25)
      })
    ))
})

describe.runIf(redisUrl !== undefined)("rate limiter, redis store keys", () => {
  it.scoped("live under the configured prefix and expire with their window", () =>
    Effect.gen(function*() {
      const settings = yield* freshRedis()
      const limiter = Context.get(yield* Layer.build(RateLimiter.redis.pipe(Layer.provide(Redis.layer(settings)))), RateLimiter)
      yield* limiter.consume("signin:ip:203.0.113.5", 10, 60_000)
      yield* limiter.consume("signin:ip:203.0.113.5", 10, 60_000)
      const client = yield* inspector
      const key = `${settings.keyPrefix}ratelimit:signin:ip:203.0.113.5`
      expect(yield* Effect.promise(() => client.get(key))).toBe("2")
      const ttl = yield* Effect.promise(() => client.pttl(key))
      expect(ttl).toBeGreaterThan(55_000)
      expect(ttl).toBeLessThanOrEqual(60_000)
    }))
})
