import { type AssessmentId, forcesOf, pillarsOf, quizProblems, scoreQuiz } from "@compilar/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either } from "effect"
import { databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"
import { call, errorOf, learner, seededDatabase } from "./support.js"

/** The learner journey over HTTP, through the client derived from the contract, on each database. */
describe.each(databases)("assessments on $name", ({ layer: database }) => {
  layer(TestServer.layer({ database: seededDatabase(database) }), { excludeTestServices: true, timeout: 180_000 })((it) => {
    it.effect("the whole journey: create, quiz, answers, resume, complete (twice), results, history, progress", () =>
      Effect.gen(function*() {
        const ada = yield* learner("ada")
        const created = yield* ada.client.assessments.create({ payload: { pillar: "divsexp", mode: "egalitarian" } })
        expect(created).toMatchObject({ pillar: "divsexp", mode: "egalitarian", status: "created" })

        const quiz = yield* ada.client.assessments.generateQuestions({ path: { id: created.id } })
        expect(quiz.questions).toHaveLength(10)
        expect(quizProblems("divsexp", quiz.questions)).toEqual([])
        expect(new Set(quiz.questions.map((q) => q.force))).toEqual(new Set(forcesOf("divsexp").map((f) => f.id)))
        expect(quiz.questions.filter((q) => q.reverse).length).toBeGreaterThanOrEqual(2)
        // Grounded: the knowledge passages it drew on, about this pillar.
        expect(quiz.sources.length).toBeGreaterThan(0)
        expect(quiz.sources.some((id) => id.includes("divsexp"))).toBe(true)
        // The offline provider writes readable statements from the dataset, all different.
        expect(new Set(quiz.questions.map((q) => q.text)).size).toBe(10)
        for (const q of quiz.questions) expect(q.text).toMatch(/^[A-Z].{20,}\.$/)

        const again = yield* ada.client.assessments.questions({ path: { id: created.id } })
        expect(again).toEqual(quiz)

        const values = [5, 1, 4, 2, 5, 4, 2, 3, 1, 5]
        for (const [i, q] of quiz.questions.slice(0, 6).entries()) {
          const saved = yield* ada.client.assessments.answer({ path: { id: created.id, questionId: q.id }, payload: { value: values[i]! }, headers: {} })
          expect(saved).toEqual({ questionId: q.id, value: values[i] })
        }
        // Resume: a second tab reads where the quiz stands.
        const halfway = yield* ada.client.assessments.get({ path: { id: created.id } })
        expect(halfway.status).toBe("in_progress")
        expect(halfway.questionCount).toBe(10)
        expect(halfway.answers).toEqual(Object.fromEntries(quiz.questions.slice(0, 6).map((q, i) => [q.id, values[i]])))
        // Changing an answer overwrites it.
        yield* ada.client.assessments.answer({ path: { id: created.id, questionId: quiz.questions[0]!.id }, payload: { value: 3 }, headers: {} })
        values[0] = 3
        for (const [i, q] of quiz.questions.slice(6).entries()) {
          yield* ada.client.assessments.answer({ path: { id: created.id, questionId: q.id }, payload: { value: values[i + 6]! }, headers: {} })
        }

        const results = yield* ada.client.assessments.complete({ path: { id: created.id } })
        const answers = Object.fromEntries(quiz.questions.map((q, i) => [q.id, values[i]!]))
        const expected = scoreQuiz("divsexp", quiz.questions, answers)
        if (Either.isLeft(expected)) throw new Error("every question was answered")
        expect(results.pillarScore).toBe(expected.right.pillarScore)
        expect(results.forceScores).toEqual(Object.fromEntries(expected.right.forceScores.map((f) => [f.force, f.score])))
        expect(results.effects.map((e) => e.connection).sort()).toEqual(["ECP-13", "ECP-14", "ECP-15", "ECP-16"])
        expect(results.strengths.length + results.growthAreas.length).toBeGreaterThan(0)

        // Completing again answers the stored results; GET …/results the same.
        expect(yield* ada.client.assessments.complete({ path: { id: created.id } })).toEqual(results)
        expect(yield* ada.client.assessments.results({ path: { id: created.id } })).toEqual(results)

        const done = yield* ada.client.assessments.get({ path: { id: created.id } })
        expect(done).toMatchObject({ status: "completed", pillarScore: results.pillarScore })
        expect(done.answers).toEqual(answers)

        const page = yield* ada.client.assessments.list({ urlParams: {} })
        expect(page.items.map((a) => a.id)).toEqual([created.id])
        expect(page.nextCursor).toBeNull()

        const progress = yield* ada.client.assessments.progress()
        expect(progress).toMatchObject({ completed: 1, inProgress: 0, pillarsCovered: ["divsexp"], modesCovered: ["egalitarian"] })
        expect(progress.averages).toHaveLength(1)
        expect(progress.averages[0]).toMatchObject({ pillar: "divsexp", count: 1, average: results.pillarScore, latest: results.pillarScore })
        expect(progress.recent[0]).toMatchObject({ assessmentId: created.id, status: "completed", answered: 10 })
      }))

    it.effect("the OpenAPI document describes every route, its errors and the Idempotency-Key header", () =>
      Effect.gen(function*() {
        const response = yield* call("", "GET", "/docs/openapi.json", undefined, { authorization: "" })
        expect(response.status).toBe(200)
        const spec = response.body as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> }
        expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
          "/api/v1/assessments",
          "/api/v1/assessments/{id}",
          "/api/v1/assessments/{id}/questions",
          "/api/v1/assessments/{id}/answers/{questionId}",
          "/api/v1/assessments/{id}/complete",
          "/api/v1/assessments/{id}/results",
          "/api/v1/me/progress"
        ]))
        const put = spec.paths["/api/v1/assessments/{id}/answers/{questionId}"]!["put"]!
        expect(put.parameters?.map((p) => `${p.in}:${p.name}`)).toContain("header:idempotency-key")
        expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "404", "409", "422", "429"]))
      }))

    it.effect("{ draw: true } draws a pillar (of the mode, when given); progress averages several", () =>
      Effect.gen(function*() {
        const bo = yield* learner("bo")
        for (let i = 0; i < 5; i++) {
          const drawn = yield* bo.client.assessments.create({ payload: { draw: true, mode: "hierarchical" } })
          expect(pillarsOf("hierarchical").map((p) => p.id)).toContain(drawn.pillar)
          expect(drawn.mode).toBe("hierarchical")
        }
        const anyMode = yield* bo.client.assessments.create({ payload: { draw: true } })
        expect(pillarsOf(anyMode.mode).map((p) => p.id)).toContain(anyMode.pillar)

        // Two completed assessments of one pillar: all agree, then all disagree.
        const scores: Array<number> = []
        for (const value of [5, 1]) {
          const a = yield* bo.client.assessments.create({ payload: { pillar: "status", mode: "hierarchical" } })
          const quiz = yield* bo.client.assessments.generateQuestions({ path: { id: a.id } })
          for (const q of quiz.questions) {
            yield* bo.client.assessments.answer({ path: { id: a.id, questionId: q.id }, payload: { value }, headers: {} })
          }
          const results = yield* bo.client.assessments.complete({ path: { id: a.id } })
          // Agreeing with everything is not 100: reverse-keyed statements pull it back.
          expect(results.pillarScore).toBeGreaterThan(0)
          expect(results.pillarScore).toBeLessThan(100)
          scores.push(results.pillarScore)
        }
        const progress = yield* bo.client.assessments.progress()
        expect(progress.completed).toBe(2)
        expect(progress.inProgress).toBe(6)
        expect(progress.averages).toEqual([
          expect.objectContaining({ pillar: "status", count: 2, average: (scores[0]! + scores[1]!) / 2, latest: scores[1] })
        ])
        expect(progress.recent).toHaveLength(8)
      }))

    it.effect("history: newest first, cursor pages stable while new assessments arrive, bad cursor 400", () =>
      Effect.gen(function*() {
        const cy = yield* learner("cy")
        const ids: Array<string> = []
        for (let i = 0; i < 5; i++) ids.push((yield* cy.client.assessments.create({ payload: { draw: true } })).id)
        const first = yield* cy.client.assessments.list({ urlParams: { limit: 2 } })
        expect(first.items.map((a) => a.id)).toEqual([ids[4], ids[3]])
        // A new assessment between pages neither shifts nor repeats the next page.
        yield* cy.client.assessments.create({ payload: { draw: true } })
        const second = yield* cy.client.assessments.list({ urlParams: { limit: 2, cursor: first.nextCursor! } })
        expect(second.items.map((a) => a.id)).toEqual([ids[2], ids[1]])
        const third = yield* cy.client.assessments.list({ urlParams: { limit: 2, cursor: second.nextCursor! } })
        expect(third.items.map((a) => a.id)).toEqual([ids[0]])
        expect(third.nextCursor).toBeNull()

        for (const [query, field] of [["?cursor=bm9wZQ", "cursor"], ["?limit=0", "limit"], ["?limit=101", "limit"], ["?limit=x", "limit"]]) {
          const response = yield* call(cy.token, "GET", `/api/v1/assessments${query}`)
          expect(response.status).toBe(400)
          expect(errorOf(response)).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path: field })] })
        }
      }))

    it.effect("starting: unknown or missing pillar and mode, and a pillar of the other mode, are 400 naming the field", () =>
      Effect.gen(function*() {
        const di = yield* learner("di")
        const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<string>]> = [
          [{ pillar: "nope", mode: "egalitarian" }, ["pillar"]],
          [{ pillar: "divsexp", mode: "anarchic" }, ["mode"]],
          [{ pillar: "nope", mode: "anarchic" }, ["mode", "pillar"]],
          [{ pillar: "divsexp", mode: "hierarchical" }, ["mode"]],
          [{ pillar: "divsexp" }, ["mode"]],
          [{ mode: "egalitarian" }, ["pillar"]],
          [{}, ["mode", "pillar"]],
          [{ draw: false }, ["mode", "pillar"]],
          [{ draw: true, pillar: "status" }, ["pillar"]],
          [{ draw: "yes" }, ["draw"]]
        ]
        for (const [body, fields] of cases) {
          const response = yield* call(di.token, "POST", "/api/v1/assessments", body)
          expect(response.status, JSON.stringify(body)).toBe(400)
          const error = errorOf(response)
          expect(error.code).toBe("validation_failed")
          expect(error.details?.map((d) => d.path).sort(), JSON.stringify(body)).toEqual(fields)
        }
        const mismatch = yield* call(di.token, "POST", "/api/v1/assessments", { pillar: "divsexp", mode: "hierarchical" })
        expect(errorOf(mismatch).details?.[0]?.message).toMatch(/egalitarian pillar/)
        expect((yield* di.client.assessments.list({ urlParams: {} })).items).toEqual([])
      }))

    it.effect("answering: value outside 1–5, unknown question, before the quiz, after completion — each a typed error", () =>
      Effect.gen(function*() {
        const ed = yield* learner("ed")
        const a = yield* ed.client.assessments.create({ payload: { pillar: "grpprosp", mode: "egalitarian" } })
        const put = (questionId: string, body: unknown, headers: Record<string, string> = {}) =>
          call(ed.token, "PUT", `/api/v1/assessments/${a.id}/answers/${questionId}`, body, headers)

        // Before the quiz exists.
        const early = yield* put("q01", { value: 3 })
        expect(early.status).toBe(409)
        expect(errorOf(early)).toMatchObject({ code: "questions_not_ready", details: [{ path: "questionId" }] })
        const earlyQuestions = yield* call(ed.token, "GET", `/api/v1/assessments/${a.id}/questions`)
        expect(earlyQuestions.status).toBe(409)
        expect(errorOf(earlyQuestions).code).toBe("questions_not_ready")
        const earlyComplete = yield* call(ed.token, "POST", `/api/v1/assessments/${a.id}/complete`)
        expect(errorOf(earlyComplete).code).toBe("questions_not_ready")
        const earlyResults = yield* call(ed.token, "GET", `/api/v1/assessments/${a.id}/results`)
        expect(earlyResults.status).toBe(409)
        expect(errorOf(earlyResults).code).toBe("results_not_ready")

        const quiz = yield* ed.client.assessments.generateQuestions({ path: { id: a.id } })
        for (const body of [{ value: 0 }, { value: 6 }, { value: 2.5 }, { value: "3" }, { value: null }, {}]) {
          const response = yield* put("q01", body)
          expect(response.status, JSON.stringify(body)).toBe(400)
          expect(errorOf(response)).toMatchObject({ code: "validation_failed", details: [{ path: "value" }] })
        }
        expect((yield* put("q01", "{not json")).status).toBe(400)
        for (const questionId of ["q11", "q00", "x", "Q01"]) {
          const response = yield* put(questionId, { value: 3 })
          expect(response.status, questionId).toBe(404)
          expect(errorOf(response)).toMatchObject({ code: "unknown_question", details: [{ path: "questionId" }] })
        }
        const badKey = yield* put("q01", { value: 3 }, { "idempotency-key": "" })
        expect(badKey.status).toBe(400)
        expect(errorOf(badKey)).toMatchObject({ code: "validation_failed", details: [{ path: "idempotency-key" }] })
        expect((yield* ed.client.assessments.get({ path: { id: a.id } })).answers).toEqual({})

        // Completing with answers missing lists each missing question.
        for (const q of quiz.questions.slice(0, 7)) {
          expect((yield* put(q.id, { value: 4 })).status).toBe(200)
        }
        const incomplete = yield* call(ed.token, "POST", `/api/v1/assessments/${a.id}/complete`)
        expect(incomplete.status).toBe(409)
        const error = errorOf(incomplete)
        expect(error.code).toBe("answers_incomplete")
        expect(error.details?.map((d) => d.path)).toEqual(quiz.questions.slice(7).map((q) => `answers.${q.id}`))
        expect(error.message).toContain(quiz.questions.slice(7).map((q) => q.id).join(", "))

        for (const q of quiz.questions.slice(7)) yield* put(q.id, { value: 2 })
        yield* ed.client.assessments.complete({ path: { id: a.id } })
        const late = yield* put("q01", { value: 1 })
        expect(late.status).toBe(409)
        expect(errorOf(late).code).toBe("assessment_completed")
        const typed = yield* Effect.flip(
          ed.client.assessments.answer({ path: { id: a.id, questionId: "q02" }, payload: { value: 1 }, headers: {} })
        )
        expect(typed._tag).toBe("AssessmentCompleted")
        expect((yield* ed.client.assessments.get({ path: { id: a.id } })).answers["q01"]).toBe(4)
      }))

    it.effect("another learner's assessment is 404 on every route, exactly like one that does not exist", () =>
      Effect.gen(function*() {
        const owner = yield* learner("owner")
        const other = yield* learner("other")
        const a = yield* owner.client.assessments.create({ payload: { pillar: "incresp", mode: "hierarchical" } })
        const quiz = yield* owner.client.assessments.generateQuestions({ path: { id: a.id } })
        yield* owner.client.assessments.answer({ path: { id: a.id, questionId: "q01" }, payload: { value: 2 }, headers: {} })

        const missing = "00000000-0000-4000-8000-000000000000"
        const routes = (id: string): ReadonlyArray<readonly [string, string, unknown?]> => [
          ["GET", `/api/v1/assessments/${id}`],
          ["DELETE", `/api/v1/assessments/${id}`],
          ["POST", `/api/v1/assessments/${id}/questions`],
          ["GET", `/api/v1/assessments/${id}/questions`],
          ["PUT", `/api/v1/assessments/${id}/answers/q01`, { value: 5 }],
          ["PUT", `/api/v1/assessments/${id}/answers/q99`, { value: 5 }],
          ["PUT", `/api/v1/assessments/${id}/answers/nope`, { value: 5 }],
          ["POST", `/api/v1/assessments/${id}/complete`],
          ["GET", `/api/v1/assessments/${id}/results`]
        ]
        for (const id of [a.id, missing, "not-a-uuid"]) {
          for (const [method, path, body] of routes(id)) {
            const response = yield* call(other.token, method, path, body)
            expect(response.status, `${method} ${path}`).toBe(404)
            expect(errorOf(response), `${method} ${path}`).toMatchObject({ code: "not_found", message: "No assessment with this id." })
          }
        }
        const typed = yield* Effect.flip(other.client.assessments.get({ path: { id: a.id } }))
        expect(typed._tag).toBe("NotFound")
        expect((yield* other.client.assessments.list({ urlParams: {} })).items).toEqual([])
        expect((yield* other.client.assessments.progress()).recent).toEqual([])

        // Nothing the other learner did touched it.
        const intact = yield* owner.client.assessments.get({ path: { id: a.id } })
        expect(intact).toMatchObject({ status: "in_progress", answers: { q01: 2 }, questionCount: quiz.questions.length })

        // Without a token: 401 everywhere.
        for (const [method, path, body] of routes(a.id)) {
          const response = yield* call("", method, path, body, { authorization: "" })
          expect(response.status, `${method} ${path}`).toBe(401)
        }
        expect((yield* call("", "GET", "/api/v1/me/progress", undefined, { authorization: "" })).status).toBe(401)

        // Deleting: 204, then gone for its owner too.
        expect((yield* call(owner.token, "DELETE", `/api/v1/assessments/${a.id}`)).status).toBe(204)
        expect((yield* call(owner.token, "GET", `/api/v1/assessments/${a.id}`)).status).toBe(404)
        expect((yield* call(owner.token, "PUT", `/api/v1/assessments/${a.id}/answers/q01`, { value: 1 })).status).toBe(404)
      }))

    it.effect("Idempotency-Key: a repeat replays the first response and changes nothing; reusing it for another body is 422", () =>
      Effect.gen(function*() {
        const fay = yield* learner("fay")
        const a = yield* fay.client.assessments.create({ payload: { pillar: "outresp", mode: "egalitarian" } })
        yield* fay.client.assessments.generateQuestions({ path: { id: a.id } })
        const id: AssessmentId = a.id
        const answer = (questionId: string, value: number, key?: string) =>
          fay.client.assessments.answer({
            path: { id, questionId },
            payload: { value },
            headers: key === undefined ? {} : { "idempotency-key": key }
          })

        expect(yield* answer("q01", 3, "key-1")).toEqual({ questionId: "q01", value: 3 })
        // A later write (another key), then a retry of the first request: the retry is answered
        // as the first time and must not put 3 back.
        expect(yield* answer("q01", 5, "key-2")).toEqual({ questionId: "q01", value: 5 })
        expect(yield* answer("q01", 3, "key-1")).toEqual({ questionId: "q01", value: 3 })
        expect((yield* fay.client.assessments.get({ path: { id } })).answers).toEqual({ q01: 5 })

        // The same key with another value, or for another question: 422.
        for (const [questionId, value] of [["q01", 4], ["q02", 3]] as const) {
          const response = yield* call(fay.token, "PUT", `/api/v1/assessments/${id}/answers/${questionId}`, { value }, { "Idempotency-Key": "key-1" })
          expect(response.status).toBe(422)
          expect(errorOf(response)).toMatchObject({ code: "idempotency_key_reused", details: [{ path: "idempotency-key" }] })
        }
        const typed = yield* Effect.flip(answer("q01", 4, "key-1"))
        expect(typed._tag).toBe("IdempotencyKeyReused")

        // Concurrent repeats of one keyed request: one write, the same answer for all.
        const repeats = yield* Effect.all(Array.from({ length: 8 }, () => answer("q03", 2, "key-3")), { concurrency: "unbounded" })
        expect(new Set(repeats.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ questionId: "q03", value: 2 })]))

        // Keys belong to one learner: another may use the same key for their own request.
        const gus = yield* learner("gus")
        const b = yield* gus.client.assessments.create({ payload: { pillar: "outresp", mode: "egalitarian" } })
        yield* gus.client.assessments.generateQuestions({ path: { id: b.id } })
        const theirs = yield* gus.client.assessments.answer({ path: { id: b.id, questionId: "q01" }, payload: { value: 1 }, headers: { "idempotency-key": "key-1" } })
        expect(theirs).toEqual({ questionId: "q01", value: 1 })

        // A failed request does not use up its key.
        const other = yield* fay.client.assessments.create({ payload: { pillar: "outresp", mode: "egalitarian" } })
        const early = yield* Effect.flip(
          fay.client.assessments.answer({ path: { id: other.id, questionId: "q01" }, payload: { value: 2 }, headers: { "idempotency-key": "key-4" } })
        )
        expect(early._tag).toBe("QuestionsNotReady")
        yield* fay.client.assessments.generateQuestions({ path: { id: other.id } })
        const retried = yield* fay.client.assessments.answer({ path: { id: other.id, questionId: "q01" }, payload: { value: 2 }, headers: { "idempotency-key": "key-4" } })
        expect(retried).toEqual({ questionId: "q01", value: 2 })
      }))
  })
})
