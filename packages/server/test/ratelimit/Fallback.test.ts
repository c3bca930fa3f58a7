import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger, TestClock } from "effect"
import type { RateDecision } from "../../src/RateLimit.js"
import { withMemoryFallback } from "../../src/RateLimit/Fallback.js"
import { makeMemoryStore } from "../../src/RateLimit/MemoryStore.js"
import { RedisStoreFailed } from "../../src/RateLimit/RedisStore.js"

/**
 * The fallback's decisions with a scripted Redis: connected or not, answering or failing (a
 * hung server whose commands time out). The real thing, cut through a TCP proxy, is in
 * RedisFallback.test.ts.
 */
const scripted = Effect.map(Effect.clock, (clock) => {
  const state = { ready: true, failing: false, calls: 0 }
  const redis = {
    consume: (_key: string, limit: number, _windowMs: number) =>
      Effect.suspend(() => {
        state.calls++
        return state.failing
          ? Effect.fail(new RedisStoreFailed({ cause: new Error("Command timed out") }))
          : Effect.succeed<RateDecision>({ allowed: true, limit, remaining: 41, resetMs: 30_000 })
      })
  }
  const lines: Array<string> = []
  const logger = Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => lines.push(`${logLevel.label} ${String(message)}`))
  )
  // The memory store counts on the test's clock, as the layers make it (RateLimit.ts).
  const memory = makeMemoryStore(clock)
  const limiter = withMemoryFallback({ redis, memory, isReady: () => state.ready, location: "redis:6379" })
  return { state, lines, logger, memory, consume: () => limiter.consume("k", 3, 60_000) }
})

/** A test body on a fresh scripted limiter, its log lines captured. */
const withScripted = <A, E>(body: (setup: Effect.Effect.Success<typeof scripted>) => Effect.Effect<A, E>) =>
  Effect.flatMap(scripted, (s) => Effect.provide(body(s), s.logger))

describe("rate limiter fallback", () => {
  it.effect("a connection that is down is not even tried: memory answers, one warning", () =>
    withScripted(({ consume, lines, state }) =>
      Effect.gen(function*() {
        expect((yield* consume()).remaining).toBe(41)
        state.ready = false
        const during = [yield* consume(), yield* consume(), yield* consume(), yield* consume()]
        expect(during.map((d) => d.allowed)).toEqual([true, true, true, false])
        expect(state.calls).toBe(1)
        expect(lines).toEqual([expect.stringMatching(/^WARN Rate limiter: Redis at redis:6379 is unreachable \(not connected\)/)])
        state.ready = true
        expect((yield* consume()).remaining).toBe(41)
        expect(lines).toHaveLength(2)
        expect(lines[1]).toMatch(/^INFO Rate limiter: Redis at redis:6379 answers again/)
      })))

  it.effect("a failing command on a live connection (a hung server): memory for a second, then one probe", () =>
    withScripted(({ consume, lines, state }) =>
      Effect.gen(function*() {
        state.failing = true
        const first = yield* consume()
        expect(first).toMatchObject({ allowed: true, remaining: 2 })
        expect(state.calls).toBe(1)
        // Within the pause nothing waits on Redis.
        yield* consume()
        yield* TestClock.adjust("999 millis")
        yield* consume()
        expect(state.calls).toBe(1)
        // After it, one request tries Redis again; still failing: another pause, no second warning.
        yield* TestClock.adjust("1 millis")
        expect((yield* consume()).allowed).toBe(false)
        expect(state.calls).toBe(2)
        expect(lines.filter((l) => l.startsWith("WARN"))).toEqual([
          expect.stringContaining("is unreachable (Command timed out)")
        ])
        state.failing = false
        yield* TestClock.adjust("1 second")
        expect((yield* consume()).remaining).toBe(41)
        expect(lines.filter((l) => l.startsWith("INFO"))).toHaveLength(1)
      })))

  it.effect("starting without Redis logs nothing more (start-up said so); its return is logged", () =>
    withScripted(({ lines, memory, state }) => {
      state.ready = false
      const limiter = withMemoryFallback({
        redis: { consume: () => Effect.succeed<RateDecision>({ allowed: true, limit: 3, remaining: 2, resetMs: 1 }) },
        memory,
        isReady: () => state.ready,
        location: "redis:6379"
      })
      return Effect.gen(function*() {
        yield* limiter.consume("k", 3, 60_000)
        expect(lines).toEqual([])
        state.ready = true
        yield* limiter.consume("k", 3, 60_000)
        expect(lines).toEqual([expect.stringMatching(/^INFO .*answers again/)])
      })
    }))
})
