import { type LlmFake, start } from "@compilar/llm-fake"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, LogLevel } from "effect"
import { databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"
import { learner, type Learner, llmFrom, seededDatabase } from "./support.js"

/**
 * OpenAI and Anthropic (the real SDKs against llm-fake) both failing, and no offline provider
 * to fall back on. Once every breaker is open the gateway refuses at once: the quiz route answers
 * 503 `service_unavailable` with `Retry-After`, and a coaching stream ends with a retryable
 * `error` event saying how soon to ask again, neither of them calling a provider.
 */
class Fake extends Context.Tag("test/LlmFake")<Fake, LlmFake>() {}

const FakeLive = Layer.scoped(
  Fake,
  Effect.acquireRelease(Effect.promise(() => start({ port: 0 })), (fake) => Effect.promise(() => fake.close()))
)

/** Breakers open after two failures, for 30 s. */
const openMs = 30_000

/**
 * A server of its own (its own breakers, closed), on the test's database and llm-fake, so that
 * what one test opens does not leak into the next.
 */
const freshServer = Effect.gen(function*() {
  const fake = yield* Fake
  const database = Layer.succeedContext(yield* Effect.context<SqlClient.SqlClient>())
  const llm = llmFrom({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    LLM_PROVIDERS: "openai,anthropic",
    LLM_BREAKER_FAILURES: "2",
    LLM_BREAKER_OPEN_MS: String(openMs)
  })
  // Errors only: every failed call below logs its fallbacks and breaker transitions as warnings.
  return yield* Layer.build(TestServer.layer({ database, llm, logLevel: LogLevel.Error }))
})

/** Every request to either provider fails with a 500 from now on. */
const breakEverything = (fake: LlmFake) => fake.script.next({ kind: "error", error: "server_error" }, { times: 10_000 })

const upstreamRequests = (fake: LlmFake) => fake.journal.entries().length

const generate = (who: Learner, id: string) =>
  Effect.flatMap(TestServer, ({ url }) =>
    Effect.promise(async () => {
      const response = await fetch(`${url}/api/v1/assessments/${id}/questions`, {
        method: "POST",
        headers: { authorization: `Bearer ${who.token}` }
      })
      return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() as unknown }
    }))

/** The `event:` and `data:` of each event of a coaching stream (comments and `retry:` left out). */
const coachingEvents = (who: Learner, id: string) =>
  Effect.flatMap(TestServer, ({ url }) =>
    Effect.promise(async () => {
      const response = await fetch(`${url}/api/v1/assessments/${id}/coaching`, { headers: { authorization: `Bearer ${who.token}` } })
      expect(response.status).toBe(200)
      return (await response.text()).split("\n\n").flatMap((block) => {
        const lines = block.split("\n")
        const event = lines.find((l) => l.startsWith("event: "))?.slice(7)
        const data = lines.find((l) => l.startsWith("data: "))?.slice(6)
        return event === undefined || data === undefined ? [] : [{ event, data: JSON.parse(data) as Record<string, unknown> }]
      })
    }))

/** Whole seconds, as `Retry-After` gives them: the breaker opened moments ago, so close to its 30 s. */
const expectRetryAfterOfOpenBreaker = (seconds: number) => {
  expect(Number.isInteger(seconds)).toBe(true)
  expect(seconds).toBeGreaterThanOrEqual(openMs / 1000 - 10)
  expect(seconds).toBeLessThanOrEqual(openMs / 1000)
}

describe.each(databases)("every LLM provider unavailable, on $name", ({ layer: database }) => {
  layer(seededDatabase(database).pipe(Layer.provideMerge(FakeLive)), { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.scoped("quiz generation: 503 service_unavailable, then with Retry-After at once, once every breaker is open", () =>
      Effect.gen(function*() {
        const fake = yield* Fake
        fake.reset()
        const server = yield* freshServer
        yield* Effect.gen(function*() {
          const ada = yield* learner("ada")
          const assessment = yield* ada.client.assessments.create({ payload: { pillar: "divsexp", mode: "egalitarian" } })
          breakEverything(fake)

          // Two failures each open both breakers: this request waits out the retries, then gets 503.
          const first = yield* generate(ada, assessment.id)
          expect(first.status).toBe(503)
          expect(first.body).toMatchObject({ error: { code: "service_unavailable" } })
          expect(fake.journal.entries({ provider: "openai" })).toHaveLength(2)
          expect(fake.journal.entries({ provider: "anthropic" })).toHaveLength(2)

          // Now nobody is called: refused by the open breakers, answered at once, told when to come back.
          const before = upstreamRequests(fake)
          const again = yield* generate(ada, assessment.id)
          expect(again.status).toBe(503)
          expectRetryAfterOfOpenBreaker(Number(again.retryAfter))
          expect(again.body).toMatchObject({
            error: {
              code: "service_unavailable",
              message: expect.stringContaining(`Try again in ${again.retryAfter} seconds`),
              requestId: expect.any(String)
            }
          })
          // No upstream call, so no retry and no backoff to wait (the gateway's refusal under
          // TestClock: Gateway.test.ts); how fast the whole request is belongs to the benchmarks.
          expect(upstreamRequests(fake)).toBe(before)

          // The quiz was not written, and asking again is allowed: the claim was released.
          const third = yield* generate(ada, assessment.id)
          expect([third.status, third.retryAfter === null]).toEqual([503, false])
        }).pipe(Effect.provide(server))
      }))

    it.scoped("coaching: the stream ends with a retryable error event that says how soon to ask again", () =>
      Effect.gen(function*() {
        const fake = yield* Fake
        fake.reset()
        const server = yield* freshServer
        yield* Effect.gen(function*() {
          // Completed while the providers are healthy (the quiz is OpenAI's).
          const ada = yield* learner("ada")
          const assessment = yield* ada.client.assessments.create({ payload: { pillar: "status", mode: "hierarchical" } })
          const quiz = yield* ada.client.assessments.generateQuestions({ path: { id: assessment.id } })
          for (const q of quiz.questions) {
            yield* ada.client.assessments.answer({ path: { id: assessment.id, questionId: q.id }, payload: { value: 3 }, headers: {} })
          }
          yield* ada.client.assessments.complete({ path: { id: assessment.id } })
          breakEverything(fake)

          // Streams have breakers of their own: the first run opens them (failing, retryable).
          const first = yield* coachingEvents(ada, assessment.id)
          expect(first.map((e) => e.event)).toEqual(["sources", "error"])
          expect(first[1]!.data).toMatchObject({ retryable: true })

          const before = upstreamRequests(fake)
          const again = yield* coachingEvents(ada, assessment.id)
          expect(again.map((e) => e.event)).toEqual(["sources", "error"])
          const error = again[1]!.data
          expect(error).toMatchObject({ code: "unavailable", retryable: true })
          expectRetryAfterOfOpenBreaker(error["retryAfterSeconds"] as number)
          expect(error["message"]).toContain(`Try again in ${error["retryAfterSeconds"]} seconds`)
          expect(upstreamRequests(fake)).toBe(before)
        }).pipe(Effect.provide(server))
      }))
  })
})
