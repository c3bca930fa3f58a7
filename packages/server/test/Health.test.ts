import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Ref, Stream, TestClock } from "effect"
import { Database, DatabaseUnavailable } from "../src/Database.js"
import { Health } from "../src/Health.js"
import { Llm } from "../src/Llm.js"
import { makeBreakers } from "../src/Llm/Breaker.js"
import { LlmAuthFailed } from "../src/Llm/Errors.js"
import { makeGateway } from "../src/Llm/Gateway.js"
import { makeOffline } from "../src/Llm/Offline.js"
import type { LlmProvider } from "../src/Llm/Provider.js"

/** An OpenAI stand-in whose key is refused: one call opens its breaker at once. */
const refusedOpenAi: LlmProvider = {
  name: "openai",
  model: "gpt-test",
  chat: () => Effect.fail(new LlmAuthFailed({ provider: "openai", message: "Incorrect API key provided" })),
  stream: () => Stream.fail(new LlmAuthFailed({ provider: "openai", message: "Incorrect API key provided" }))
}

/** The gateway over these providers, with the default breaker thresholds (60 s open). */
const llmOver = (providers: ReadonlyArray<LlmProvider>) =>
  Layer.effect(
    Llm,
    Effect.map(makeBreakers(), (breakers) => ({
      ...makeGateway({ providers, breakers }),
      providers: providers.map((p) => p.name)
    }))
  )

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

const withHealth = <A, E>(
  body: (calls: Ref.Ref<number>, up: Ref.Ref<boolean>) => Effect.Effect<A, E, Health | Llm>,
  llm: ReadonlyArray<LlmProvider> = [makeOffline()]
) =>
  Effect.gen(function*() {
    const calls = yield* Ref.make(0)
    const up = yield* Ref.make(true)
    return yield* body(calls, up).pipe(
      Effect.provide(Health.Default.pipe(Layer.provideMerge(llmOver(llm)))),
      Effect.provide(countingDatabase(calls, up))
    )
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

  it.effect("lists each configured provider's breakers, closed, before any LLM call", () =>
    withHealth(() =>
      Effect.gen(function*() {
        const report = yield* (yield* Health).report()
        expect(report.llm.providers).toEqual(["openai", "offline"])
        expect(report.llm.breakers.map((b) => ({ ...b }))).toEqual([
          { provider: "openai", family: "chat", state: "closed", consecutiveFailures: 0 },
          { provider: "openai", family: "stream", state: "closed", consecutiveFailures: 0 },
          { provider: "offline", family: "chat", state: "closed", consecutiveFailures: 0 },
          { provider: "offline", family: "stream", state: "closed", consecutiveFailures: 0 }
        ])
      }), [refusedOpenAi, makeOffline()]))

  it.effect("an open breaker is reported with its retry time, and the answer stays ok", () =>
    withHealth(() =>
      Effect.gen(function*() {
        const health = yield* Health
        const llm = yield* Llm
        yield* health.report()
        // Refused key: the gateway falls back to offline, and openai's chat breaker opens at once.
        expect((yield* llm.chat({ messages: [{ role: "user", content: "What is trust?" }] })).provider).toBe("offline")
        yield* TestClock.adjust("1 second")
        const report = yield* health.report()
        expect(report.status).toBe("ok")
        const row = (key: string) => report.llm.breakers.find((b) => `${b.provider}:${b.family}` === key)
        expect({ ...row("openai:chat") }).toEqual({
          provider: "openai",
          family: "chat",
          state: "open",
          consecutiveFailures: 1,
          retryAfterMs: 59_000
        })
        expect(row("openai:stream")?.state).toBe("closed")
        expect(row("offline:chat")?.state).toBe("closed")
        // After the cool-down it reads half-open (a probe may go through).
        yield* TestClock.adjust("59 seconds")
        const later = yield* health.report()
        expect(later.llm.breakers.find((b) => b.provider === "openai" && b.family === "chat")?.state).toBe("half-open")
      }), [refusedOpenAi, makeOffline()]))
})
