import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Ref, TestClock } from "effect"
import { Database, DatabaseUnavailable } from "../src/Database.js"
import { Health } from "../src/Health.js"

/** A database whose ping counts its calls and can be switched off. */
const countingDatabase = (calls: Ref.Ref<number>, up: Ref.Ref<boolean>) =>
  Layer.succeed(
    Database,
    Database.make({
      ping: Ref.update(calls, (n) => n + 1).pipe(
        Effect.zipRight(Ref.get(up)),
        Effect.flatMap((isUp) => isUp ? Effect.succeed(3) : Effect.fail(new DatabaseUnavailable({ message: "refused" })))
      )
    })
  )

const withHealth = <A, E>(body: (calls: Ref.Ref<number>, up: Ref.Ref<boolean>) => Effect.Effect<A, E, Health>) =>
  Effect.gen(function*() {
    const calls = yield* Ref.make(0)
    const up = yield* Ref.make(true)
    return yield* body(calls, up).pipe(Effect.provide(Health.Default), Effect.provide(countingDatabase(calls, up)))
  })

describe("Health", () => {
  it.effect("a burst of concurrent checks costs one database probe", () =>
    withHealth((calls) =>
      Effect.gen(function*() {
        const health = yield* Health
        const reports = yield* Effect.all(Array.from({ length: 20 }, () => health.report()), { concurrency: "unbounded" })
        expect(reports.every((r) => r.status === "ok" && r.checks["database"]?.latencyMs === 3)).toBe(true)
        expect(yield* Ref.get(calls)).toBe(1)
      })
    ))

  it.effect("the result is shared for one second, then probed again", () =>
    withHealth((calls, up) =>
      Effect.gen(function*() {
        const health = yield* Health
        yield* health.report()
        yield* Ref.set(up, false)
        yield* TestClock.adjust("999 millis")
        expect(Exit.isSuccess(yield* Effect.exit(health.report()))).toBe(true)
        expect(yield* Ref.get(calls)).toBe(1)
        yield* TestClock.adjust("1 millis")
        const down = yield* Effect.flip(health.report())
        expect(down._tag).toBe("ServiceUnavailable")
        expect(down.details?.map((d) => d.path)).toEqual(["checks.database"])
        expect(down.details?.[0]?.message).toContain("refused")
        expect(yield* Ref.get(calls)).toBe(2)
      })
    ))

  it.effect("uptime counts from the service's start", () =>
    withHealth(() =>
      Effect.gen(function*() {
        const health = yield* Health
        yield* TestClock.adjust("90 seconds")
        expect((yield* health.report()).uptimeSeconds).toBe(90)
      })
    ))
})
