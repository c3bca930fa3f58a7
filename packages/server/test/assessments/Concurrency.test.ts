import { type AssessmentId, quizProblems } from "@compilar/domain"
import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import { Assessments, QuizClaims, type QuizClaimTimings } from "../../src/Assessments.js"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeSearch } from "../../src/Knowledge/Search.js"
import { LlmServerError } from "../../src/Llm/Errors.js"
import { makeOffline } from "../../src/Llm/Offline.js"
import type { LlmProvider } from "../../src/Llm/Provider.js"
import { databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"
import { call, countingLlm, learner, type Learner, seededDatabase } from "./support.js"

/**
 * Exactly-once quiz generation and lossless answers under concurrency, on each database: many
 * requests (and two instances) asking for one quiz make one LLM call; a thousand concurrent
 * answer writes all land, once each, with the last value written.
 */
describe.each(databases)("concurrency on $name", ({ layer: database }) => {
  const db = seededDatabase(database)
  // The LLM takes a while, so that the concurrent requests really overlap its call.
  const llm = countingLlm({ delayMs: 300 })
  const server = TestServer.layer({ database: db, llm: llm.layer }).pipe(Layer.provideMerge(db))

  layer(server, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("10 concurrent quiz requests (refreshes, tabs, retries): one LLM call, one quiz, the same answer for all", () =>
      Effect.gen(function*() {
        const ada = yield* learner("ada")
        const a = yield* ada.client.assessments.create({ payload: { pillar: "normexp", mode: "hierarchical" } })
        const before = llm.calls.chat
        const answers = yield* Effect.all(
          Array.from({ length: 10 }, () => ada.client.assessments.generateQuestions({ path: { id: a.id } })),
          { concurrency: "unbounded" }
        )
        expect(llm.calls.chat - before).toBe(1)
        expect(quizProblems("normexp", answers[0]!.questions)).toEqual([])
        for (const answer of answers) expect(answer).toEqual(answers[0])
        // And later ones too, without another call.
        expect(yield* ada.client.assessments.generateQuestions({ path: { id: a.id } })).toEqual(answers[0])
        expect(llm.calls.chat - before).toBe(1)
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ n: number }>`select count(*)::int as n from app.quiz_questions where assessment_id = ${a.id}`
        expect(rows[0]!.n).toBe(10)
        const quizzes = yield* sql<{ n: number }>`select count(*)::int as n from app.quizzes where assessment_id = ${a.id}`
        expect(quizzes[0]!.n).toBe(1)
      }))

    it.effect("1,000 concurrent answer PUTs over 50 assessments of 20 learners: every answer stored once, with the last value written", () =>
      Effect.gen(function*() {
        const setupStarted = Date.now()
        const learners: Array<Learner> = yield* Effect.all(Array.from({ length: 20 }, (_, i) => learner(`l${i}`)), { concurrency: 5 })
        const assessments = yield* Effect.all(
          Array.from({ length: 50 }, (_, i) =>
            Effect.gen(function*() {
              const owner = learners[i % learners.length]!
              const a = yield* owner.client.assessments.create({ payload: { draw: true } })
              const quiz = yield* owner.client.assessments.generateQuestions({ path: { id: a.id } })
              return { owner, id: a.id, questions: quiz.questions.map((q) => q.id) }
            })),
          { concurrency: 10 }
        )
        // Two writes per question, the second after the first was acknowledged; all questions at once.
        const first = (i: number, j: number) => ((i + j) % 5) + 1
        const last = (i: number, j: number) => ((i * 3 + j * 7) % 5) + 1
        console.info(`[1000 PUTs] setup ${Date.now() - setupStarted} ms`)
        const putsStarted = Date.now()
        const statuses = new Map<number, number>()
        let sent = 0
        yield* Effect.all(
          assessments.flatMap((a, i) =>
            a.questions.map((questionId, j) =>
              Effect.gen(function*() {
                for (const value of [first(i, j), last(i, j)]) {
                  const response = yield* call(a.owner.token, "PUT", `/api/v1/assessments/${a.id}/answers/${questionId}`, { value })
                  sent++
                  statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
                }
              })
            )
          ),
          { concurrency: "unbounded", discard: true }
        )
        console.info(`[1000 PUTs] sent in ${Date.now() - putsStarted} ms`)
        expect(sent).toBe(1000)
        expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 })

        const sql = yield* SqlClient.SqlClient
        const ids = assessments.map((a) => a.id)
        const rows = yield* sql<{ assessment_id: string; question_id: string; value: number }>`
          select assessment_id, question_id, value from app.answers where ${sql.in("assessment_id", ids)}`
        expect(rows).toHaveLength(500)
        const stored = new Map(rows.map((r) => [`${r.assessment_id}/${r.question_id}`, Number(r.value)]))
        expect(stored.size).toBe(500)
        assessments.forEach((a, i) =>
          a.questions.forEach((q, j) => expect(stored.get(`${a.id}/${q}`), `${a.id}/${q}`).toBe(last(i, j)))
        )
        // The API reads the same.
        const detail = yield* assessments[7]!.owner.client.assessments.get({ path: { id: assessments[7]!.id } })
        expect(detail.answers).toEqual(Object.fromEntries(assessments[7]!.questions.map((q, j) => [q, last(7, j)])))
      }), 240_000)

    it.effect("answers racing a completion: each is either in the results or refused as completed, never lost", () =>
      Effect.gen(function*() {
        const bo = yield* learner("bo")
        const a = yield* bo.client.assessments.create({ payload: { pillar: "popularity", mode: "egalitarian" } })
        const quiz = yield* bo.client.assessments.generateQuestions({ path: { id: a.id } })
        for (const q of quiz.questions) {
          yield* bo.client.assessments.answer({ path: { id: a.id, questionId: q.id }, payload: { value: 3 }, headers: {} })
        }
        // Rewrites of every question to 5, racing the completion.
        const rewrites = Effect.all(
          quiz.questions.map((q) => call(bo.token, "PUT", `/api/v1/assessments/${a.id}/answers/${q.id}`, { value: 5 })),
          { concurrency: "unbounded" }
        )
        const [responses, results] = yield* Effect.all([rewrites, bo.client.assessments.complete({ path: { id: a.id } })], {
          concurrency: "unbounded"
        })
        const accepted = new Set(quiz.questions.filter((_, i) => responses[i]!.status === 200).map((q) => q.id))
        for (const response of responses) expect([200, 409]).toContain(response.status)
        const stored = (yield* bo.client.assessments.get({ path: { id: a.id } })).answers
        // What was acknowledged is stored, and the results were computed from exactly what is stored.
        for (const q of quiz.questions) expect(stored[q.id]).toBe(accepted.has(q.id) ? 5 : 3)
        const recomputed = yield* bo.client.assessments.results({ path: { id: a.id } })
        expect(recomputed).toEqual(results)
        const allThrees = quiz.questions.every((q) => stored[q.id] === 3)
        if (allThrees) expect(results.pillarScore).toBe(50)
      }))
  })
})

/** Two server instances (two `Assessments` services, each with its own single flight) over one database. */
describe.each(databases)("quiz claims across instances on $name", ({ layer: database }) => {
  const db = seededDatabase(database)
  const llm = countingLlm({ delayMs: 300 })

  const instance = (llmLayer: typeof llm.layer, timings: Partial<QuizClaimTimings> = {}) =>
    Effect.map(
      Layer.build(
        Layer.fresh(Assessments.Default).pipe(
          Layer.provide(KnowledgeSearch.Default),
          Layer.provide(Embeddings.offline),
          Layer.provide(llmLayer),
          Layer.provide(QuizClaims.layer(timings))
        )
      ),
      (context) => Context.get(context, Assessments)
    )

  const newAssessment = (service: Assessments) =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const userId = randomUUID()
      yield* sql`insert into app.users (id, email, display_name, password_hash)
                 values (${userId}, ${`${userId}@example.com`}, 'Two', 'x')`
      const a = yield* service.create(userId, { pillar: "grpprosp", mode: "egalitarian" })
      return { userId, id: a.id as AssessmentId }
    })

  layer(db, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("two instances, five requests each at once: one LLM call between them, one quiz", () =>
      Effect.scoped(Effect.gen(function*() {
        const [one, two] = [yield* instance(llm.layer), yield* instance(llm.layer)]
        const { id, userId } = yield* newAssessment(one)
        const before = llm.calls.chat
        const quizzes = yield* Effect.all(
          Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? one : two).generateQuestions(userId, id)),
          { concurrency: "unbounded" }
        )
        expect(llm.calls.chat - before).toBe(1)
        for (const quiz of quizzes) expect(quiz).toEqual(quizzes[0])
      })))

    it.effect("a claim whose holder went silent is taken over; a live one is waited for, then taken over once stale", () =>
      Effect.scoped(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const service = yield* instance(llm.layer, { staleSeconds: 1, pollMs: 50 })
        // A claim left by an instance that died an hour ago.
        const dead = yield* newAssessment(service)
        yield* sql`insert into app.quiz_claims (assessment_id, claim_id, heartbeat_at)
                   values (${dead.id}, ${randomUUID()}, now() - interval '1 hour')`
        const before = llm.calls.chat
        expect((yield* service.generateQuestions(dead.userId, dead.id)).questions).toHaveLength(10)
        expect(llm.calls.chat - before).toBe(1)

        // A claim that was live a moment ago: waited for (no call), then taken over after 1 s of silence.
        const quiet = yield* newAssessment(service)
        yield* sql`insert into app.quiz_claims (assessment_id, claim_id) values (${quiet.id}, ${randomUUID()})`
        const started = Date.now()
        expect((yield* service.generateQuestions(quiet.userId, quiet.id)).questions).toHaveLength(10)
        expect(Date.now() - started).toBeGreaterThanOrEqual(900)
        expect(llm.calls.chat - before).toBe(2)
        const claims = yield* sql<{ done: boolean }>`select done from app.quiz_claims where assessment_id = ${quiet.id}`
        expect(claims.map((c) => c.done)).toEqual([true])
      })))

    it.effect("a failed generation answers 503, releases its claim, and the next request generates at once", () =>
      Effect.scoped(Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const failing: LlmProvider = {
          ...makeOffline(),
          chat: () => Effect.fail(new LlmServerError({ provider: "offline", message: "boom", status: 500 }))
        }
        const broken = yield* instance(countingLlm({ provider: failing }).layer)
        const { id, userId } = yield* newAssessment(broken)
        const error = yield* Effect.flip(broken.generateQuestions(userId, id))
        expect(error._tag).toBe("ServiceUnavailable")
        expect(yield* sql`select * from app.quiz_claims where assessment_id = ${id}`).toEqual([])
        expect((yield* sql<{ status: string }>`select status from app.assessments where id = ${id}`)[0]!.status).toBe("created")

        const healthy = yield* instance(llm.layer)
        expect((yield* healthy.generateQuestions(userId, id)).questions).toHaveLength(10)
      })))
  })
})
