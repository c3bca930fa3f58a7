import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { pglite } from "../support/TestDatabase.js"
import { platformTwin, TestServer } from "../support/TestServer.js"
import { learner, seededDatabase } from "./support.js"

/**
 * The answer PUT is served by node:http directly (Assessments/FastAnswer.ts). Every outcome must
 * be the platform route's: the same request sent to a server with the fast path and to one
 * without it (over the same database) gets the same status, body and rate-limit headers.
 */
describe("PUT …/answers/:questionId on the fast path", () => {
  const db = seededDatabase(pglite.layer)
  const fast = TestServer.layer({ database: db, config: { bodyLimitBytes: 2048 } }).pipe(Layer.provideMerge(db))

  layer(fast, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("answers every kind of request exactly as the platform route does", () =>
      Effect.scoped(Effect.gen(function*() {
        const { url: fastUrl } = yield* TestServer
        const platformUrl = yield* platformTwin({ config: { bodyLimitBytes: 2048 } })

        const ada = yield* learner("ada")
        const eve = yield* learner("eve")
        const ready = yield* ada.client.assessments.create({ payload: { pillar: "divsexp", mode: "egalitarian" } })
        yield* ada.client.assessments.generateQuestions({ path: { id: ready.id } })
        const early = yield* ada.client.assessments.create({ payload: { pillar: "divsexp", mode: "egalitarian" } })
        const done = yield* ada.client.assessments.create({ payload: { pillar: "status", mode: "hierarchical" } })
        const doneQuiz = yield* ada.client.assessments.generateQuestions({ path: { id: done.id } })
        for (const q of doneQuiz.questions) {
          yield* ada.client.assessments.answer({ path: { id: done.id, questionId: q.id }, payload: { value: 3 }, headers: {} })
        }
        yield* ada.client.assessments.complete({ path: { id: done.id } })

        const json = { "content-type": "application/json" }
        const auth = (token: string) => ({ authorization: `Bearer ${token}`, ...json })
        const cases: ReadonlyArray<{ name: string; path: string; headers: Record<string, string>; body: string }> = [
          { name: "valid", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "escaped segment", path: `/api/v1/assessments/${ready.id}/answers/q%30%32`, headers: auth(ada.token), body: `{"value":2}` },
          { name: "no token", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: json, body: `{"value":4}` },
          { name: "bad token", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth("nope"), body: `{"value":4}` },
          { name: "not JSON", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{value:4` },
          { name: "value 0", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{"value":0}` },
          { name: "value 2.5", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{"value":2.5}` },
          { name: "value as text", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{"value":"3"}` },
          { name: "no value", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{}` },
          { name: "an array", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `[1]` },
          { name: "unknown question", path: `/api/v1/assessments/${ready.id}/answers/q11`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "malformed question", path: `/api/v1/assessments/${ready.id}/answers/x`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "someone else's", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(eve.token), body: `{"value":4}` },
          { name: "malformed id", path: `/api/v1/assessments/nope/answers/q01`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "before the quiz", path: `/api/v1/assessments/${early.id}/answers/q01`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "completed", path: `/api/v1/assessments/${done.id}/answers/q01`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "empty key", path: `/api/v1/assessments/${ready.id}/answers/q03`, headers: { ...auth(ada.token), "idempotency-key": "" }, body: `{"value":4}` },
          { name: "keyed", path: `/api/v1/assessments/${ready.id}/answers/q04`, headers: { ...auth(ada.token), "idempotency-key": "k1" }, body: `{"value":4}` },
          { name: "key replayed", path: `/api/v1/assessments/${ready.id}/answers/q04`, headers: { ...auth(ada.token), "idempotency-key": "k1" }, body: `{"value":4}` },
          { name: "key reused", path: `/api/v1/assessments/${ready.id}/answers/q04`, headers: { ...auth(ada.token), "idempotency-key": "k1" }, body: `{"value":5}` },
          { name: "text/plain", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: { ...auth(ada.token), "content-type": "text/plain" }, body: `{"value":4}` },
          { name: "over the limit", path: `/api/v1/assessments/${ready.id}/answers/q01`, headers: auth(ada.token), body: `{"value":4,"pad":"${"x".repeat(3000)}"}` },
          { name: "query string", path: `/api/v1/assessments/${ready.id}/answers/q01?x=1`, headers: auth(ada.token), body: `{"value":4}` },
          { name: "trailing slash", path: `/api/v1/assessments/${ready.id}/answers/q01/`, headers: auth(ada.token), body: `{"value":4}` }
        ]
        const send = (base: string, c: (typeof cases)[number]) =>
          Effect.promise(async () => {
            const response = await fetch(`${base}${c.path}`, { method: "PUT", headers: c.headers, body: c.body })
            const text = await response.text()
            const body = text === "" ? undefined : JSON.parse(text) as { error?: { requestId?: string } }
            if (body?.error !== undefined) delete body.error.requestId
            return {
              status: response.status,
              body,
              rateLimited: response.headers.has("ratelimit-remaining"),
              contentType: response.headers.get("content-type")
            }
          })
        for (const c of cases) {
          // Keyed requests change state: each side gets its own key.
          const keyed = (side: string) => ({ ...c, headers: c.headers["idempotency-key"] ? { ...c.headers, "idempotency-key": `${c.headers["idempotency-key"]}${side}` } : c.headers })
          const viaPlatform = yield* send(platformUrl, c.headers["idempotency-key"] === "" ? c : keyed("p"))
          const viaFast = yield* send(fastUrl, c.headers["idempotency-key"] === "" ? c : keyed("f"))
          expect(viaFast, c.name).toEqual(viaPlatform)
        }
        // The writes landed once each.
        const detail = yield* ada.client.assessments.get({ path: { id: ready.id } })
        expect(detail.answers).toEqual({ q01: 4, q02: 2, q04: 4 })
      })))
  })
})
