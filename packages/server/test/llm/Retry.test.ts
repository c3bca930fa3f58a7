import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit, Fiber, Random, Ref, TestClock } from "effect"
import type { LlmError } from "../../src/Llm/Errors.js"
import {
  isRetryable,
  LlmAuthFailed,
  LlmBadRequest,
  LlmConnectionFailed,
  LlmContextTooLong,
  LlmInvalidOutput,
  LlmOverloaded,
  LlmQuotaExceeded,
  LlmRateLimited,
  LlmServerError,
  LlmStreamInterrupted,
  LlmTimeout,
  LlmUnavailable
} from "../../src/Llm/Errors.js"
import type { GiveUpEvent, RetryEvent, RetryOptions } from "../../src/Llm/Retry.js"
import { backoffCapMs, defaultRetryOptions, retryAttempts, retryDelayMs, retryPolicy } from "../../src/Llm/Retry.js"

const provider = "openai" as const
const message = "upstream said no"

/** An upstream that fails with `errors[i]` on call i, then succeeds with "ok". */
const scripted = (errors: ReadonlyArray<LlmError>) =>
  Effect.gen(function*() {
    const calls = yield* Ref.make(0)
    const upstream = Effect.flatMap(Ref.getAndUpdate(calls, (n) => n + 1), (n) => {
      const error = errors[n]
      return error === undefined ? Effect.succeed("ok") : Effect.fail(error)
    })
    return { calls, upstream }
  })

/** Runs the policy in a fiber, moves the test clock far enough for any wait, and returns the exit. */
const runToEnd = <A>(effect: Effect.Effect<A, LlmError>, advanceMs = 60_000) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(advanceMs)
    return yield* Fiber.await(fiber)
  })

const recording = (options: RetryOptions = {}) => {
  const retries: Array<RetryEvent> = []
  const giveUps: Array<GiveUpEvent> = []
  const policy = retryPolicy({
    ...options,
    onRetry: (e) => Effect.sync(() => void retries.push(e)),
    onGiveUp: (e) => Effect.sync(() => void giveUps.push(e))
  })
  return { policy, retries, giveUps }
}

const always = (e: LlmError) => Array.from({ length: 10 }, () => e)

describe("retryPolicy", () => {
  const cases: ReadonlyArray<readonly [string, LlmError, number]> = [
    ["auth (401)", new LlmAuthFailed({ provider, message }), 1],
    ["quota", new LlmQuotaExceeded({ provider, message }), 1],
    ["bad request", new LlmBadRequest({ provider, message }), 1],
    ["context too long", new LlmContextTooLong({ provider, message }), 1],
    ["unavailable", new LlmUnavailable({ provider, message, retryAfterMs: 10 }), 1],
    ["rate limited (no retry-after)", new LlmRateLimited({ provider, message }), 3],
    ["overloaded", new LlmOverloaded({ provider: "anthropic", message }), 3],
    ["server error (500)", new LlmServerError({ provider, message, status: 500 }), 3],
    ["timeout", new LlmTimeout({ provider, message, phase: "headers" }), 3],
    ["connection failed", new LlmConnectionFailed({ provider, message }), 3],
    ["stream interrupted before the first token", new LlmStreamInterrupted({ provider, message, receivedChunks: 0 }), 3],
    ["invalid output", new LlmInvalidOutput({ provider, message, issues: "missing field" }), 3]
  ]

  it.effect.each(cases)("%s: %d attempt(s) in all, failing with the last error", ([, error, attempts]) =>
    Effect.gen(function*() {
      const { calls, upstream } = yield* scripted(always(error))
      const { giveUps, policy } = recording()
      const exit = yield* runToEnd(policy(upstream))
      expect(exit).toStrictEqual(Exit.fail(error))
      expect(yield* Ref.get(calls)).toBe(attempts)
      expect(giveUps).toHaveLength(1)
      expect(giveUps[0]?.attempts).toBe(attempts)
      expect(giveUps[0]?.reason).toBe(attempts === 1 ? "not-retryable" : "max-attempts")
    }))

  it.effect("succeeds on a later attempt and reports each retry", () =>
    Effect.gen(function*() {
      const error = new LlmServerError({ provider, message, status: 503 })
      const { calls, upstream } = yield* scripted([error, error])
      const { giveUps, policy, retries } = recording({ maxAttempts: 5 })
      const exit = yield* runToEnd(policy(upstream))
      expect(exit).toStrictEqual(Exit.succeed("ok"))
      expect(yield* Ref.get(calls)).toBe(3)
      expect(retries.map((r) => r.attempt)).toEqual([1, 2])
      expect(giveUps).toEqual([])
    }))

  it.effect("429 with retry-after 2 s waits at least 2 s, then succeeds", () =>
    Effect.gen(function*() {
      const { calls, upstream } = yield* scripted([new LlmRateLimited({ provider, message, retryAfterMs: 2_000 })])
      const { policy, retries } = recording()
      const fiber = yield* Effect.fork(policy(upstream))
      yield* TestClock.adjust(1_999)
      expect(yield* Ref.get(calls)).toBe(1)
      expect(yield* Fiber.poll(fiber)).toStrictEqual(expect.objectContaining({ _tag: "None" }))
      yield* TestClock.adjust(1)
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* Ref.get(calls)).toBe(2)
      expect(retries[0]?.delayMs).toBe(2_000)
    }))

  it.effect("retry-after 30 s over a 10 s budget fails at once with LlmRateLimited", () =>
    Effect.gen(function*() {
      const error = new LlmRateLimited({ provider, message, retryAfterMs: 30_000 })
      const { calls, upstream } = yield* scripted([error])
      const { giveUps, policy, retries } = recording()
      const startedAt = yield* Clock.currentTimeMillis
      // No clock adjustment: it must not wait at all.
      const exit = yield* Effect.exit(policy(upstream))
      expect(exit).toStrictEqual(Exit.fail(error))
      expect((yield* Clock.currentTimeMillis) - startedAt).toBe(0)
      expect(yield* Ref.get(calls)).toBe(1)
      expect(retries).toEqual([])
      expect(giveUps.map((g) => g.reason)).toEqual(["budget"])
    }))

  it.effect("time spent in attempts counts toward the budget", () =>
    Effect.gen(function*() {
      const error = new LlmTimeout({ provider, message, phase: "total" })
      const calls = yield* Ref.make(0)
      // Each attempt takes 4 s before failing.
      const upstream = Ref.update(calls, (n) => n + 1).pipe(
        Effect.zipRight(Effect.sleep("4 seconds")),
        Effect.zipRight(Effect.fail(error))
      )
      const { giveUps, policy } = recording({ maxAttempts: 10, budgetMs: 10_000 })
      const exit = yield* runToEnd(policy(upstream))
      expect(exit).toStrictEqual(Exit.fail(error))
      // 4 s + wait ≤ 250 ms + 4 s + wait ≤ 500 ms + 4 s: over budget after the third attempt.
      expect(yield* Ref.get(calls)).toBe(3)
      expect(giveUps[0]?.reason).toBe("budget")
      expect(giveUps[0]?.elapsedMs).toBeGreaterThanOrEqual(12_000)
    }))

  it.effect("a streaming caller can forbid retries once output reached it", () =>
    Effect.gen(function*() {
      const error = new LlmStreamInterrupted({ provider, message, receivedChunks: 4 })
      const { calls, upstream } = yield* scripted(always(error))
      const { giveUps, policy } = recording({ shouldRetry: (e) => isRetryable(e, { firstTokenDelivered: true }) })
      const exit = yield* runToEnd(policy(upstream))
      expect(exit).toStrictEqual(Exit.fail(error))
      expect(yield* Ref.get(calls)).toBe(1)
      expect(giveUps[0]?.reason).toBe("not-retryable")
    }))

  it.effect("shouldRetry may be effectful and sees the attempt number", () =>
    Effect.gen(function*() {
      const error = new LlmServerError({ provider, message, status: 500 })
      const { calls, upstream } = yield* scripted(always(error))
      const seen: Array<number> = []
      const policy = retryPolicy({
        maxAttempts: 10,
        shouldRetry: (_, attempt) => Effect.sync(() => (seen.push(attempt), attempt < 4))
      })
      yield* runToEnd(policy(upstream))
      expect(seen).toEqual([1, 2, 3, 4])
      expect(yield* Ref.get(calls)).toBe(4)
    }))

  it.effect("full jitter stays within [0, min(maxDelay, base·2^(n-1))]", () =>
    Effect.gen(function*() {
      const error = new LlmConnectionFailed({ provider, message })
      const options = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 4_000, budgetMs: 1_000_000 }
      const caps = [250, 500, 1_000, 2_000, 4_000, 4_000, 4_000]
      expect(caps.map((_, i) => backoffCapMs(options, i + 1))).toEqual(caps)
      const delaysFor = (random: Random.Random) =>
        Effect.gen(function*() {
          const { upstream } = yield* scripted(always(error))
          const { policy, retries } = recording(options)
          yield* runToEnd(policy(upstream), 1_000_000).pipe(Effect.withRandom(random))
          return retries.map((r) => r.delayMs)
        })
      // The extremes of the generator give 0 and the cap.
      expect(yield* delaysFor(Random.fixed([0]))).toEqual([0, 0, 0, 0, 0, 0, 0])
      expect(yield* delaysFor(Random.fixed([0.999999999]))).toEqual(caps)
      // Seeded: within bounds, and reproducible (drawn straight from the delay function, no clock needed).
      const draws = (seed: number) =>
        Effect.forEach(caps, (_, i) => retryDelayMs(options, i + 1, error)).pipe(Effect.withRandom(Random.make(seed)))
      let spread = 0
      for (let seed = 0; seed < 200; seed++) {
        const delays = yield* draws(seed)
        delays.forEach((d, i) => {
          expect(Number.isInteger(d)).toBe(true)
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(caps[i] ?? -1)
        })
        expect(yield* draws(seed)).toEqual(delays)
        spread += delays[4] ?? 0
      }
      // Not degenerate: 200 draws in [0, 4000] average somewhere in the middle.
      expect(spread / 200).toBeGreaterThan(1_500)
      expect(spread / 200).toBeLessThan(2_500)
      // And the policy draws from the same seeded Random.
      expect(yield* delaysFor(Random.make(7))).toEqual(yield* draws(7))
    }))

  it.effect("retry-after is a floor, never shortened by jitter", () =>
    Effect.gen(function*() {
      const error = new LlmOverloaded({ provider: "anthropic", message, retryAfterMs: 100 })
      const { upstream } = yield* scripted([error, error])
      const { policy, retries } = recording({ baseDelayMs: 1_000 })
      yield* runToEnd(policy(upstream)).pipe(Effect.withRandom(Random.fixed([0, 0.999999999])))
      // First wait: jitter 0 raised to 100; second: jitter at its cap (2 000) above 100.
      expect(retries.map((r) => r.delayMs)).toEqual([100, 2_000])
    }))

  it.effect("each run of the wrapped effect has its own budget and attempts", () =>
    Effect.gen(function*() {
      const error = new LlmServerError({ provider, message, status: 500 })
      const { calls, upstream } = yield* scripted(always(error))
      const policy = retryPolicy({ maxAttempts: 2 })
      const wrapped = policy(upstream)
      yield* runToEnd(wrapped)
      yield* runToEnd(wrapped)
      expect(yield* Ref.get(calls)).toBe(4)
    }))

  it.effect("retryAttempts numbers each attempt (for a child span per attempt)", () =>
    Effect.gen(function*() {
      const error = new LlmServerError({ provider, message, status: 500 })
      const seen: Array<number> = []
      const exit = yield* runToEnd(
        retryAttempts()((attempt) =>
          Effect.sync(() => seen.push(attempt)).pipe(Effect.zipRight(attempt < 3 ? Effect.fail(error) : Effect.succeed(attempt)))
        )
      )
      expect(exit).toStrictEqual(Exit.succeed(3))
      expect(seen).toEqual([1, 2, 3])
    }))

  it("has the documented defaults", () => {
    expect(defaultRetryOptions).toEqual({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4_000, budgetMs: 10_000 })
  })
})
