import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Ref, TestClock } from "effect"
import type { BreakerOptions, BreakerTransition } from "../../src/Llm/Breaker.js"
import { Breakers, defaultBreakerThresholds, makeBreaker, makeBreakers } from "../../src/Llm/Breaker.js"
import type { LlmError } from "../../src/Llm/Errors.js"
import {
  LlmAuthFailed,
  LlmBadRequest,
  LlmContextTooLong,
  LlmInvalidOutput,
  LlmQuotaExceeded,
  LlmServerError,
  LlmUnavailable
} from "../../src/Llm/Errors.js"

const provider = "openai" as const
const serverError = new LlmServerError({ provider, message: "500", status: 500 })
const badRequest = new LlmBadRequest({ provider, message: "400" })

const setup = (options: Partial<BreakerOptions> = {}) =>
  Effect.gen(function*() {
    const transitions: Array<BreakerTransition> = []
    const breaker = yield* makeBreaker({
      provider,
      family: "chat",
      onTransition: (t) => Effect.sync(() => void transitions.push(t)),
      ...options
    })
    const calls = yield* Ref.make(0)
    /** A protected call whose upstream counts its invocations and then does `result`. */
    const call = <A, E extends LlmError>(result: Effect.Effect<A, E>) =>
      breaker.protect(Ref.update(calls, (n) => n + 1).pipe(Effect.zipRight(result)))
    const fail = (e: LlmError = serverError) => Effect.exit(call(Effect.fail(e)))
    const succeed = Effect.exit(call(Effect.succeed("ok")))
    const state = Effect.map(breaker.state, (s) => s.state)
    const path = () => transitions.map((t) => `${t.from}>${t.to}`)
    return { breaker, calls, call, fail, succeed, state, transitions, path }
  })

const failTimes = (n: number, fail: Effect.Effect<unknown>) => Effect.repeatN(fail, n - 1)

/** Lets forked fibers run until `done` holds (bounded; no clock involved). */
const settle = (done: Effect.Effect<boolean>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 1_000; i++) {
      if (yield* done) return
      yield* Effect.yieldNow()
    }
    throw new Error("did not settle")
  })

const isUnavailable = (exit: Exit.Exit<unknown, unknown>): boolean =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error instanceof LlmUnavailable

describe("circuit breaker", () => {
  it("has the documented defaults", () => {
    expect(defaultBreakerThresholds).toMatchObject({ failureThreshold: 5, openMs: 60_000, halfOpenSuccesses: 3 })
  })

  it.effect("opens after 5 consecutive failures; a success resets the count", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(4, b.fail())
      yield* b.succeed
      yield* failTimes(4, b.fail())
      expect(yield* b.breaker.state).toMatchObject({ state: "closed", consecutiveFailures: 4 })
      yield* b.fail()
      const s = yield* b.breaker.state
      expect(s).toMatchObject({ state: "open", consecutiveFailures: 5, lastError: "server_error", openedAt: 0 })
      expect(b.transitions).toHaveLength(1)
      expect(b.transitions[0]).toMatchObject({
        key: "openai:chat",
        from: "closed",
        to: "open",
        reason: "failure-threshold",
        error: serverError
      })
    }))

  it.effect("fails fast while open, without running the upstream, with the time until half-open", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      expect(yield* Ref.get(b.calls)).toBe(5)
      yield* TestClock.adjust("10 seconds")
      const exit = yield* b.succeed
      expect(exit).toStrictEqual(
        Exit.fail(
          new LlmUnavailable({ provider, retryAfterMs: 50_000, message: "openai:chat circuit breaker is open" })
        )
      )
      for (let i = 0; i < 10; i++) expect(isUnavailable(yield* b.succeed)).toBe(true)
      expect(yield* Ref.get(b.calls)).toBe(5)
      expect(yield* b.breaker.state).toMatchObject({ state: "open", retryAfterMs: 50_000 })
    }))

  it.effect("goes half-open after 60 s", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust(59_999)
      expect(yield* b.state).toBe("open")
      expect(isUnavailable(yield* b.succeed)).toBe(true)
      yield* TestClock.adjust(1)
      expect(yield* b.state).toBe("half-open")
      expect(b.transitions[1]).toMatchObject({ from: "open", to: "half-open", reason: "cool-down-elapsed", at: 60_000 })
    }))

  it.effect("20 concurrent calls during half-open make exactly ONE upstream call", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      const before = yield* Ref.get(b.calls)
      const gate = yield* Deferred.make<void>()
      const finished = yield* Ref.make(0)
      const fibers = yield* Effect.forEach(
        Array.from({ length: 20 }),
        () =>
          Effect.fork(
            Effect.exit(b.call(Effect.as(Deferred.await(gate), "probe ok"))).pipe(
              Effect.tap(() => Ref.update(finished, (n) => n + 1))
            )
          )
      )
      // Everyone but the probe is turned away at once, while the probe is held open.
      yield* settle(Effect.map(Ref.get(finished), (n) => n === 19))
      expect((yield* Ref.get(b.calls)) - before).toBe(1)
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", probeInFlight: true })
      yield* Deferred.succeed(gate, undefined)
      const exits = yield* Effect.forEach(fibers, Fiber.join)
      expect(exits.filter(Exit.isSuccess)).toHaveLength(1)
      expect(exits.filter(isUnavailable)).toHaveLength(19)
      for (const exit of exits.filter(isUnavailable)) {
        expect(exit).toMatchObject({ cause: { error: { retryAfterMs: 1_000 } } })
      }
      expect((yield* Ref.get(b.calls)) - before).toBe(1)
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", probeInFlight: false, halfOpenSuccesses: 1 })
    }))

  it.effect("3 successful probes close it", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      yield* b.succeed
      yield* b.succeed
      expect(yield* b.state).toBe("half-open")
      yield* b.succeed
      expect(yield* b.breaker.state).toMatchObject({ state: "closed", consecutiveFailures: 0, halfOpenSuccesses: 0 })
      expect(b.transitions.map((t) => t.reason)).toEqual(["failure-threshold", "cool-down-elapsed", "probes-succeeded"])
      // Closed again: a fresh run of 5 failures is needed to reopen.
      yield* failTimes(4, b.fail())
      expect(yield* b.state).toBe("closed")
    }))

  it.effect("a failure in half-open reopens it for another full cool-down", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      yield* b.succeed
      yield* b.succeed
      yield* b.fail()
      expect(yield* b.breaker.state).toMatchObject({ state: "open", openedAt: 60_000, retryAfterMs: 60_000 })
      expect(b.transitions.at(-1)).toMatchObject({ from: "half-open", to: "open", reason: "probe-failed" })
      yield* TestClock.adjust("59 seconds")
      expect(isUnavailable(yield* b.succeed)).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(yield* b.state).toBe("half-open")
    }))

  it.effect.each([
    ["401", new LlmAuthFailed({ provider, message: "bad key" })],
    ["quota", new LlmQuotaExceeded({ provider, message: "insufficient_quota" })]
  ] as const)("%s opens it at once", ([, error]) =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* b.fail(error)
      expect(yield* b.state).toBe("open")
      expect(b.transitions).toMatchObject([{ from: "closed", to: "open", reason: "immediate", error }])
      expect(isUnavailable(yield* b.succeed)).toBe(true)
      expect(yield* Ref.get(b.calls)).toBe(1)
    }))

  it.effect("caller-fault errors (bad request, context too long, invalid output) do not count", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      const neutral = [
        badRequest,
        new LlmContextTooLong({ provider, message: "too long" }),
        new LlmInvalidOutput({ provider, message: "bad json", issues: "x" })
      ]
      for (let i = 0; i < 10; i++) for (const e of neutral) yield* b.fail(e)
      expect(yield* b.breaker.state).toMatchObject({ state: "closed", consecutiveFailures: 0 })
      // Nor do they reset a run of real failures.
      yield* failTimes(4, b.fail())
      yield* b.fail(badRequest)
      yield* b.fail()
      expect(yield* b.state).toBe("open")
      expect(b.transitions).toHaveLength(1)
    }))

  it.effect("a bad request as the half-open probe frees the probe slot without changing state", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      yield* b.fail(badRequest)
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", probeInFlight: false, halfOpenSuccesses: 0 })
      yield* b.succeed
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", halfOpenSuccesses: 1 })
    }))

  it.effect("an interrupted probe frees the slot", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      const probe = yield* Effect.fork(b.call(Effect.never))
      yield* settle(Effect.map(b.breaker.state, (s) => s.probeInFlight))
      yield* Fiber.interrupt(probe)
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", probeInFlight: false })
      expect(Exit.isSuccess(yield* b.succeed)).toBe(true)
    }))

  it.effect("a defect counts as a failure", () =>
    Effect.gen(function*() {
      const b = yield* setup({ failureThreshold: 2 })
      yield* Effect.exit(b.call(Effect.die(new Error("adapter bug"))))
      yield* Effect.exit(b.call(Effect.die(new Error("adapter bug"))))
      expect(yield* b.state).toBe("open")
    }))

  it.effect("outcomes of calls admitted before a transition are ignored", () =>
    Effect.gen(function*() {
      const b = yield* setup()
      const gate = yield* Deferred.make<void>()
      const slow = yield* Effect.fork(b.call(Effect.zipRight(Deferred.await(gate), Effect.fail(serverError))))
      yield* settle(Effect.map(Ref.get(b.calls), (n) => n === 1))
      yield* failTimes(5, b.fail())
      yield* TestClock.adjust("60 seconds")
      expect(yield* b.state).toBe("half-open")
      // The slow call from the closed period now fails: it is not the probe and changes nothing.
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.await(slow)
      expect(yield* b.breaker.state).toMatchObject({ state: "half-open", probeInFlight: false })
      expect(b.path()).toEqual(["closed>open", "open>half-open"])
    }))

  it.effect("reports transitions in order, with times", () =>
    Effect.gen(function*() {
      const b = yield* setup({ failureThreshold: 2, openMs: 1_000, halfOpenSuccesses: 1 })
      yield* failTimes(2, b.fail())
      yield* TestClock.adjust(1_000)
      yield* b.fail()
      yield* TestClock.adjust(1_500)
      yield* b.succeed
      yield* b.fail(new LlmAuthFailed({ provider, message: "revoked" }))
      expect(b.transitions.map((t) => [t.from, t.to, t.reason, t.at])).toEqual([
        ["closed", "open", "failure-threshold", 0],
        ["open", "half-open", "cool-down-elapsed", 1_000],
        ["half-open", "open", "probe-failed", 1_000],
        ["open", "half-open", "cool-down-elapsed", 2_500],
        ["half-open", "closed", "probes-succeeded", 2_500],
        ["closed", "open", "immediate", 2_500]
      ])
    }))
})

describe("Breakers registry", () => {
  it.effect("creates one breaker per provider:family, lazily, and snapshots them for /health", () =>
    Effect.gen(function*() {
      const transitions: Array<string> = []
      const registry = yield* makeBreakers({
        failureThreshold: 2,
        overrides: { "anthropic:embed": { failureThreshold: 1 } },
        onTransition: (t) => Effect.sync(() => void transitions.push(`${t.key} ${t.to}`))
      })
      expect(yield* registry.snapshot).toEqual([])
      const a = yield* registry.get("openai", "chat")
      expect(yield* registry.get("openai", "chat")).toBe(a)
      const fail = (p: "openai" | "anthropic", family: string) =>
        Effect.exit(registry.protect(p, family)(Effect.fail(serverError)))
      yield* fail("openai", "chat")
      yield* fail("openai", "chat")
      yield* fail("anthropic", "embed")
      yield* fail("anthropic", "chat")
      const snapshot = yield* registry.snapshot
      expect(snapshot.map((s) => [s.key, s.state, s.consecutiveFailures])).toEqual([
        ["anthropic:chat", "closed", 1],
        ["anthropic:embed", "open", 1],
        ["openai:chat", "open", 2]
      ])
      expect(snapshot[2]).toMatchObject({ provider: "openai", family: "chat", retryAfterMs: 60_000 })
      expect(transitions).toEqual(["openai:chat open", "anthropic:embed open"])
    }))

  it.effect("is a service", () =>
    Effect.gen(function*() {
      const registry = yield* Breakers
      const exit = yield* Effect.exit(registry.protect("offline", "chat")(Effect.succeed(1)))
      expect(exit).toStrictEqual(Exit.succeed(1))
      expect((yield* registry.snapshot).map((s) => s.key)).toEqual(["offline:chat"])
    }).pipe(Effect.provide(Breakers.Default)))

  it.effect("concurrent first uses create a single breaker", () =>
    Effect.gen(function*() {
      const registry = yield* makeBreakers()
      const all = yield* Effect.all(Array.from({ length: 20 }, () => registry.get("openai", "chat")), {
        concurrency: "unbounded"
      })
      expect(new Set(all).size).toBe(1)
    }))
})
