import type { AssessmentStatus, ChunkId, ForceId, ModeId, PillarId, QuestionId } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"

/**
 * Assessments in SQL, the same statements on PostgreSQL and PGlite. Database failures are
 * defects here; callers see rows, `Option`s and booleans, and build domain errors from them.
 * Every read and write of one learner's data names the learner in its WHERE clause.
 */

export interface AssessmentRow {
  readonly id: string
  readonly seq: string
  readonly pillar: PillarId
  readonly mode: ModeId
  readonly status: AssessmentStatus
  readonly createdAt: Date
  readonly completedAt: Date | null
  readonly pillarScore: number | null
}

export interface QuestionRow {
  readonly id: QuestionId
  readonly text: string
  readonly force: ForceId
  readonly reverse: boolean
}

export interface StoredQuiz {
  readonly questions: ReadonlyArray<QuestionRow>
  readonly sources: ReadonlyArray<ChunkId>
}

/** Why an answer could not be written, read after the upsert wrote nothing. */
export interface AnswerObstacle {
  readonly status: AssessmentStatus
  readonly hasQuiz: boolean
  readonly questionExists: boolean
}

export interface ActivityRow extends AssessmentRow {
  readonly at: Date
  readonly answered: number
}

export interface AverageRow {
  readonly pillar: PillarId
  readonly mode: ModeId
  readonly count: number
  readonly average: number
  readonly latest: number
  readonly lastCompletedAt: Date
}

export interface IdempotentResponse {
  readonly fingerprint: string
  readonly status: number
  readonly body: string
}

interface RawAssessment {
  readonly id: string
  readonly seq: string
  readonly pillar: string
  readonly mode: string
  readonly status: string
  readonly created_at: Date
  readonly completed_at: Date | null
  readonly pillar_score: number | null
}

const toAssessment = (row: RawAssessment): AssessmentRow => ({
  id: row.id,
  seq: String(row.seq),
  pillar: row.pillar as PillarId,
  mode: row.mode as ModeId,
  status: row.status as AssessmentStatus,
  createdAt: new Date(row.created_at),
  completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  pillarScore: row.pillar_score === null ? null : Number(row.pillar_score)
})

/** jsonb arrives parsed from node-postgres and PGlite alike; a string only if a driver left it as text. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/** How long an `Idempotency-Key` is remembered. */
export const idempotencyTtlHours = 24

export class AssessmentRepo extends Effect.Service<AssessmentRepo>()("Assessments/Repo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const summaryColumns = sql`a.id, a.seq::text as seq, a.pillar, a.mode, a.status, a.created_at, a.completed_at,
      r.pillar_score`

    const insert = (row: { readonly id: string; readonly userId: string; readonly pillar: PillarId; readonly mode: ModeId }) =>
      sql<RawAssessment>`
        insert into app.assessments (id, user_id, pillar, mode)
        values (${row.id}, ${row.userId}, ${row.pillar}, ${row.mode})
        returning id, seq::text as seq, pillar, mode, status, created_at, completed_at, null::float8 as pillar_score`.pipe(
        Effect.map((rows) => toAssessment(rows[0]!)),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.insert")
      )

    /** Newest first; `before` is the `seq` of the last row of the previous page. One row more than asked tells if more follow. */
    const page = (userId: string, limit: number, before: string | undefined) =>
      sql<RawAssessment>`
        select ${summaryColumns}
        from app.assessments a left join app.results r on r.assessment_id = a.id
        where a.user_id = ${userId} ${before === undefined ? sql`` : sql`and a.seq < ${before}::bigint`}
        order by a.seq desc
        limit ${limit + 1}`.pipe(
        Effect.map((rows) => rows.map(toAssessment)),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.page")
      )

    const find = (userId: string, id: string) =>
      sql<RawAssessment>`
        select ${summaryColumns}
        from app.assessments a left join app.results r on r.assessment_id = a.id
        where a.id = ${id} and a.user_id = ${userId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toAssessment)),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.find")
      )

    const answersOf = (id: string) =>
      sql<{ readonly question_id: string; readonly value: number }>`
        select question_id, value from app.answers where assessment_id = ${id} order by question_id`.pipe(
        Effect.map((rows) => Object.fromEntries(rows.map((row) => [row.question_id, Number(row.value)]))),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.answersOf")
      )

    const remove = (userId: string, id: string) =>
      sql<{ readonly id: string }>`delete from app.assessments where id = ${id} and user_id = ${userId} returning id`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.remove")
      )

    // ── Quiz ────────────────────────────────────────────────────────────────

    const quizOf = (id: string) =>
      Effect.gen(function*() {
        const quiz = yield* sql<{ readonly sources: unknown }>`select sources from app.quizzes where assessment_id = ${id}`
        const found = quiz[0]
        if (found === undefined) return Option.none<StoredQuiz>()
        const questions = yield* sql<{ readonly id: string; readonly text: string; readonly force: string; readonly reverse: boolean }>`
          select id, text, force, reverse from app.quiz_questions where assessment_id = ${id} order by position`
        return Option.some<StoredQuiz>({
          questions: questions.map((q) => ({
            id: q.id as QuestionId,
            text: q.text,
            force: q.force as ForceId,
            reverse: Boolean(q.reverse)
          })),
          sources: json(found.sources) as ReadonlyArray<ChunkId>
        })
      }).pipe(Effect.orDie, Effect.withSpan("AssessmentRepo.quizOf"))

    /**
     * Takes the right to generate this assessment's quiz: true when the claim is ours. It is ours
     * when nobody claimed it, or the holder stopped heartbeating for `staleSeconds`, and never once
     * the quiz is stored (`done`). One statement: concurrent claimants serialize on the row.
     */
    const claim = (id: string, claimId: string, staleSeconds: number) =>
      sql<{ readonly claim_id: string }>`
        insert into app.quiz_claims (assessment_id, claim_id)
        select id, ${claimId} from app.assessments where id = ${id}
        on conflict (assessment_id) do update set claim_id = excluded.claim_id, heartbeat_at = now()
          where not app.quiz_claims.done
            and app.quiz_claims.heartbeat_at < now() - make_interval(secs => ${staleSeconds})
        returning claim_id`.pipe(
        Effect.map((rows) => rows[0]?.claim_id === claimId),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.claim")
      )

    const heartbeat = (id: string, claimId: string) =>
      sql`update app.quiz_claims set heartbeat_at = now() where assessment_id = ${id} and claim_id = ${claimId}`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.heartbeat")
      )

    /** Gives a claim up after a failed generation, so the next request may try at once. */
    const release = (id: string, claimId: string) =>
      sql`delete from app.quiz_claims where assessment_id = ${id} and claim_id = ${claimId} and not done`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.release")
      )

    /**
     * Stores a generated quiz if the claim is still ours (else false: it was taken over, and the
     * other claimant's quiz is the one that counts), and moves the assessment to `in_progress`.
     */
    const storeQuiz = (
      id: string,
      claimId: string,
      quiz: StoredQuiz & { readonly provider: string; readonly model: string }
    ) =>
      sql.withTransaction(Effect.gen(function*() {
        const held = yield* sql<{ readonly assessment_id: string }>`
          update app.quiz_claims set done = true, heartbeat_at = now()
          where assessment_id = ${id} and claim_id = ${claimId} and not done
          returning assessment_id`
        if (held.length === 0) return false
        yield* sql`
          insert into app.quizzes (assessment_id, provider, model, sources)
          values (${id}, ${quiz.provider}, ${quiz.model}, ${JSON.stringify(quiz.sources)}::jsonb)`
        yield* sql`insert into app.quiz_questions ${
          sql.insert(quiz.questions.map((q, position) => ({
            assessment_id: id,
            id: q.id,
            position,
            text: q.text,
            force: q.force,
            reverse: q.reverse
          })))
        }`
        yield* sql`update app.assessments set status = 'in_progress' where id = ${id} and status = 'created'`
        return true
      })).pipe(Effect.orDie, Effect.withSpan("AssessmentRepo.storeQuiz"))

    // ── Answers ─────────────────────────────────────────────────────────────

    /**
     * The lossless write: one row per (assessment, question), inserted or overwritten. The
     * learner's ownership, the question's existence and the assessment being in progress are
     * conditions of the same statement, and the FOR KEY SHARE lock on the assessment makes a
     * concurrent completion wait for it (or it for the completion, and then find it completed).
     * None when any condition failed: see `answerObstacle`.
     */
    const upsertAnswer = (userId: string, id: string, questionId: string, value: number) =>
      sql<{ readonly question_id: string; readonly value: number }>`
        insert into app.answers (assessment_id, question_id, value)
        select q.assessment_id, q.id, ${value}
        from app.assessments a
        join app.quiz_questions q on q.assessment_id = a.id and q.id = ${questionId}
        where a.id = ${id} and a.user_id = ${userId} and a.status = 'in_progress'
        for key share of a
        on conflict (assessment_id, question_id) do update set value = excluded.value, answered_at = now()
        returning question_id, value`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => ({ questionId: row.question_id, value: Number(row.value) }))),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.upsertAnswer")
      )

    const answerObstacle = (userId: string, id: string, questionId: string) =>
      sql<{ readonly status: string; readonly has_quiz: boolean; readonly question_exists: boolean }>`
        select a.status,
               exists (select 1 from app.quizzes z where z.assessment_id = a.id) as has_quiz,
               exists (select 1 from app.quiz_questions q where q.assessment_id = a.id and q.id = ${questionId}) as question_exists
        from app.assessments a where a.id = ${id} and a.user_id = ${userId}`.pipe(
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (row): AnswerObstacle => ({
            status: row.status as AssessmentStatus,
            hasQuiz: Boolean(row.has_quiz),
            questionExists: Boolean(row.question_exists)
          }))
        ),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.answerObstacle")
      )

    // ── Completion and results ──────────────────────────────────────────────

    /** Inside a transaction: the learner's assessment, locked against answers until the transaction ends. */
    const lockForCompletion = (userId: string, id: string) =>
      sql<{ readonly pillar: string; readonly mode: string; readonly status: string }>`
        select pillar, mode, status from app.assessments where id = ${id} and user_id = ${userId} for update`.pipe(
        Effect.map((rows) =>
          Option.map(Option.fromNullable(rows[0]), (row) => ({
            pillar: row.pillar as PillarId,
            mode: row.mode as ModeId,
            status: row.status as AssessmentStatus
          }))
        ),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.lockForCompletion")
      )

    /** Inside the completion's transaction: the results, and the assessment marked completed at the same instant. */
    const saveResults = (id: string, row: {
      readonly pillarScore: number
      readonly completedAt: Date
      readonly document: unknown
      readonly scoringVersion: string
    }) =>
      Effect.zipRight(
        sql`
          insert into app.results (assessment_id, pillar_score, document, scoring_version, computed_at)
          values (${id}, ${row.pillarScore}, ${JSON.stringify(row.document)}::jsonb, ${row.scoringVersion}, ${row.completedAt})`,
        sql`update app.assessments set status = 'completed', completed_at = ${row.completedAt} where id = ${id}`
      ).pipe(Effect.asVoid, Effect.orDie, Effect.withSpan("AssessmentRepo.saveResults"))

    /** The stored results document of the learner's assessment; None when there is none (yet). */
    const resultsOf = (userId: string, id: string) =>
      sql<{ readonly document: unknown }>`
        select r.document from app.results r join app.assessments a on a.id = r.assessment_id
        where r.assessment_id = ${id} and a.user_id = ${userId}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), (row) => json(row.document))),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.resultsOf")
      )

    // ── Progress ────────────────────────────────────────────────────────────

    const counts = (userId: string) =>
      sql<{ readonly completed: number; readonly in_progress: number }>`
        select count(*) filter (where status = 'completed')::int as completed,
               count(*) filter (where status <> 'completed')::int as in_progress
        from app.assessments where user_id = ${userId}`.pipe(
        Effect.map((rows) => ({ completed: Number(rows[0]?.completed ?? 0), inProgress: Number(rows[0]?.in_progress ?? 0) })),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.counts")
      )

    const averages = (userId: string) =>
      sql<{
        readonly pillar: string
        readonly mode: string
        readonly count: number
        readonly average: number
        readonly latest: number
        readonly last_completed_at: Date
      }>`
        select a.pillar, a.mode, count(*)::int as count, avg(r.pillar_score)::float8 as average,
               (array_agg(r.pillar_score order by a.completed_at desc, a.seq desc))[1]::float8 as latest,
               max(a.completed_at) as last_completed_at
        from app.assessments a join app.results r on r.assessment_id = a.id
        where a.user_id = ${userId}
        group by a.pillar, a.mode`.pipe(
        Effect.map((rows) =>
          rows.map((row): AverageRow => ({
            pillar: row.pillar as PillarId,
            mode: row.mode as ModeId,
            count: Number(row.count),
            average: Number(row.average),
            latest: Number(row.latest),
            lastCompletedAt: new Date(row.last_completed_at)
          }))
        ),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.averages")
      )

    const recent = (userId: string, limit: number) =>
      sql<RawAssessment & { readonly at: Date; readonly answered: number }>`
        select ${summaryColumns}, greatest(a.created_at, a.completed_at, x.last_answer) as at, coalesce(x.answered, 0)::int as answered
        from app.assessments a
        left join app.results r on r.assessment_id = a.id
        left join lateral (
          select count(*) as answered, max(answered_at) as last_answer from app.answers where assessment_id = a.id
        ) x on true
        where a.user_id = ${userId}
        order by at desc, a.seq desc
        limit ${limit}`.pipe(
        Effect.map((rows) =>
          rows.map((row): ActivityRow => ({ ...toAssessment(row), at: new Date(row.at), answered: Number(row.answered) }))
        ),
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.recent")
      )

    // ── Idempotency keys ────────────────────────────────────────────────────

    /**
     * Inside a transaction: reserves the key for this request. None when it is ours now (write,
     * then `recordResponse`); Some when it was used, with what was answered then. A concurrent
     * request with the same key waits on the unique index until the first one commits, then
     * finds its response.
     */
    const reserveKey = (userId: string, key: string, fingerprint: string) =>
      Effect.gen(function*() {
        const reserved = yield* sql<{ readonly key: string }>`
          insert into app.idempotency_keys (user_id, key, fingerprint, status, body)
          values (${userId}, ${key}, ${fingerprint}, 0, '')
          on conflict (user_id, key) do update
            set fingerprint = excluded.fingerprint, status = 0, body = '', created_at = now()
            where app.idempotency_keys.created_at < now() - make_interval(hours => ${idempotencyTtlHours})
          returning key`
        if (reserved.length > 0) return Option.none<IdempotentResponse>()
        const existing = yield* sql<IdempotentResponse>`
          select fingerprint, status, body from app.idempotency_keys where user_id = ${userId} and key = ${key}`
        return Option.fromNullable(existing[0])
      }).pipe(Effect.orDie, Effect.withSpan("AssessmentRepo.reserveKey"))

    const recordResponse = (userId: string, key: string, response: { readonly status: number; readonly body: string }) =>
      sql`update app.idempotency_keys set status = ${response.status}, body = ${response.body}
          where user_id = ${userId} and key = ${key}`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("AssessmentRepo.recordResponse")
      )

    const pruneKeys = sql`
      delete from app.idempotency_keys where created_at < now() - make_interval(hours => ${idempotencyTtlHours})`.pipe(
      Effect.asVoid,
      Effect.orDie,
      Effect.withSpan("AssessmentRepo.pruneKeys")
    )

    /** Runs `effect` in a transaction; a database failure (commit included) is a defect, like every statement here. */
    const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      sql.withTransaction(effect).pipe(
        Effect.catchAll((error) => (error instanceof SqlError ? Effect.die(error) : Effect.fail(error as E)))
      )

    return {
      transaction,
      insert,
      page,
      find,
      answersOf,
      remove,
      quizOf,
      claim,
      heartbeat,
      release,
      storeQuiz,
      upsertAnswer,
      answerObstacle,
      lockForCompletion,
      saveResults,
      resultsOf,
      counts,
      averages,
      recent,
      reserveKey,
      recordResponse,
      pruneKeys
    } as const
  })
}) {}
