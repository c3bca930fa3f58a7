import {
  Activity,
  AnswerSaved,
  AnswersIncomplete,
  Assessment,
  AssessmentCompleted,
  AssessmentDetail,
  AssessmentId,
  AssessmentPage,
  AssessmentSummary,
  type CreateAssessment,
  createProblems,
  ErrorDetail,
  IdempotencyKeyReused,
  modes,
  NotFound,
  PillarAverage,
  pillars,
  pillarsOf,
  Progress,
  type PillarId,
  Question,
  QuestionsNotReady,
  QuizQuestions,
  Results,
  ResultsNotReady,
  resultsOf,
  scoreQuiz,
  scoringVersion,
  ServiceUnavailable,
  UnknownQuestion,
  ValidationFailed
} from "@compilar/domain"
import { Clock, Context, DateTime, Effect, Either, Layer, Option, Random, Schedule, Schema } from "effect"
import { createHash, randomUUID } from "node:crypto"
import { AssessmentRepo, type AssessmentRow, type StoredQuiz } from "./Assessments/Repo.js"
import { makeSingleFlight } from "./Assessments/SingleFlight.js"
import { QuizWriter } from "./Assessments/QuizWriter.js"
import { retryAfterSeconds } from "./Http/RetryAfter.js"
import type { LlmError } from "./Llm/Errors.js"

/**
 * The learner journey's use cases: start an assessment, generate its quiz exactly once, record
 * answers losslessly (idempotently, with optional `Idempotency-Key` replay), complete it into
 * stored results, and report progress. Every operation takes the learner's id and treats
 * anyone else's assessment as absent (404). The HTTP side is `Assessments/Http.ts`.
 */

/** How quiz generation coordinates across requests and instances. */
export interface QuizClaimTimings {
  /** A claim whose holder has not heartbeated for this long may be taken over. */
  readonly staleSeconds: number
  /** How often the holder heartbeats while the LLM writes. */
  readonly heartbeatMs: number
  /** How often a request that found the quiz claimed elsewhere looks again. */
  readonly pollMs: number
  /** How long such a request waits in all before answering 503. */
  readonly waitMs: number
}

export class QuizClaims extends Context.Tag("Assessments/QuizClaims")<QuizClaims, QuizClaimTimings>() {
  static readonly defaults: QuizClaimTimings = { staleSeconds: 30, heartbeatMs: 5_000, pollMs: 200, waitMs: 180_000 }
  static readonly layer = (timings: Partial<QuizClaimTimings>) =>
    Layer.succeed(QuizClaims, { ...QuizClaims.defaults, ...timings })
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const questionIdPattern = /^q\d{2}$/

const notFound = () => new NotFound({ message: "No assessment with this id." })

const questionsNotReady = () =>
  new QuestionsNotReady({
    message: "This assessment has no quiz yet: generate it with POST /api/v1/assessments/{id}/questions first.",
    details: [new ErrorDetail({ path: "questionId", message: "The quiz has not been generated yet" })]
  })

const unknownQuestion = (questionId: string) =>
  new UnknownQuestion({
    message: `This assessment's quiz has no question "${questionId}".`,
    details: [new ErrorDetail({ path: "questionId", message: `No question "${questionId}" in this quiz (q01 to q10)` })]
  })

const utc = (date: Date) => DateTime.unsafeFromDate(date)

const summaryOf = (row: AssessmentRow) =>
  new AssessmentSummary({
    id: AssessmentId.make(row.id),
    pillar: row.pillar,
    mode: row.mode,
    status: row.status,
    createdAt: utc(row.createdAt),
    completedAt: row.completedAt === null ? null : utc(row.completedAt),
    pillarScore: row.pillarScore
  })

const quizQuestionsOf = (quiz: StoredQuiz) =>
  new QuizQuestions({ questions: quiz.questions.map((q) => new Question(q)), sources: quiz.sources })

/** The history cursor: the `seq` of the last row shown, opaque to clients. */
const encodeCursor = (seq: string) => Buffer.from(`seq:${seq}`, "utf8").toString("base64url")
const decodeCursor = (cursor: string): Option.Option<string> => {
  const match = /^seq:(\d{1,18})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))
  return match === null ? Option.none() : Option.some(match[1]!)
}

/** What a request with an `Idempotency-Key` is, for comparing a repeat with the original. */
const fingerprintOf = (parts: ReadonlyArray<string | number>) =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex")

const encodeAnswer = Schema.encodeSync(AnswerSaved)
const decodeAnswer = Schema.decodeUnknown(Schema.parseJson(AnswerSaved))
const encodeResults = Schema.encodeSync(Results)
const decodeResults = Schema.decodeUnknown(Results)

/**
 * 503 for a quiz no provider wrote. When every provider's breaker is open the gateway knows when
 * the first one lets a call through again: the learner is told, and so is the client
 * (`Retry-After`), instead of retrying into breakers that refuse at once.
 */
const quizUnavailable = (error: LlmError): ServiceUnavailable => {
  if (error._tag !== "LlmUnavailable") {
    return new ServiceUnavailable({ message: "The quiz could not be written right now (no LLM provider answered). Try again shortly." })
  }
  const seconds = retryAfterSeconds(error.retryAfterMs)
  return new ServiceUnavailable({
    message: `The quiz cannot be written right now: every AI provider is unavailable. Try again in ${seconds} seconds.`,
    retryAfterSeconds: seconds
  })
}

export class Assessments extends Effect.Service<Assessments>()("Assessments", {
  scoped: Effect.gen(function*() {
    const repo = yield* AssessmentRepo
    const writer = yield* QuizWriter
    const timings = Option.getOrElse(yield* Effect.serviceOption(QuizClaims), () => QuizClaims.defaults)
    const flights = makeSingleFlight<StoredQuiz, NotFound | ServiceUnavailable>(yield* Effect.scope)

    // Expired idempotency keys are ignored when read; this only keeps the table small.
    yield* repo.pruneKeys.pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("Pruning idempotency keys failed", cause)),
      Effect.schedule(Schedule.spaced("1 hour")),
      Effect.forkScoped
    )

    /** The learner's assessment, or NotFound (also for a malformed id: it cannot exist). */
    const owned = (userId: string, id: string) =>
      uuid.test(id)
        ? Effect.flatMap(repo.find(userId, id), Option.match({ onNone: () => Effect.fail(notFound()), onSome: Effect.succeed }))
        : Effect.fail(notFound())

    const create = Effect.fn("Assessments.create")(function*(userId: string, request: CreateAssessment) {
      const problems = createProblems(request)
      if (problems.length > 0) {
        return yield* Effect.fail(new ValidationFailed({ message: "The request is invalid.", details: problems }))
      }
      let pillar: PillarId
      if (request.draw === true) {
        const deck = request.mode === undefined ? pillars : pillarsOf(request.mode)
        pillar = deck[yield* Random.nextIntBetween(0, deck.length)]!.id
      } else {
        pillar = request.pillar!
      }
      const mode = pillars.find((p) => p.id === pillar)!.mode
      const row = yield* repo.insert({ id: randomUUID(), userId, pillar, mode })
      yield* Effect.annotateCurrentSpan({ assessmentId: row.id, pillar })
      return new Assessment({
        id: AssessmentId.make(row.id),
        pillar: row.pillar,
        mode: row.mode,
        status: row.status,
        createdAt: utc(row.createdAt)
      })
    })

    const list = Effect.fn("Assessments.list")(function*(
      userId: string,
      params: { readonly limit?: number | undefined; readonly cursor?: string | undefined }
    ) {
      const limit = params.limit ?? 20
      let before: string | undefined
      if (params.cursor !== undefined) {
        const decoded = decodeCursor(params.cursor)
        if (Option.isNone(decoded)) {
          return yield* Effect.fail(
            new ValidationFailed({
              message: "The request is invalid.",
              details: [new ErrorDetail({ path: "cursor", message: "Not a cursor from this list: pass nextCursor as it came" })]
            })
          )
        }
        before = decoded.value
      }
      const rows = yield* repo.page(userId, limit, before)
      const items = rows.slice(0, limit)
      const last = items[items.length - 1]
      return new AssessmentPage({
        items: items.map(summaryOf),
        nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.seq) : null
      })
    })

    const get = Effect.fn("Assessments.get")(function*(userId: string, id: string) {
      const row = yield* owned(userId, id)
      const [quiz, answers] = yield* Effect.all([repo.quizOf(id), repo.answersOf(id)])
      return new AssessmentDetail({
        ...summaryOf(row),
        questionCount: Option.match(quiz, { onNone: () => 0, onSome: (q) => q.questions.length }),
        answers
      })
    })

    const remove = Effect.fn("Assessments.remove")(function*(userId: string, id: string) {
      if (!uuid.test(id) || !(yield* repo.remove(userId, id))) return yield* Effect.fail(notFound())
    })

    // ── Quiz ────────────────────────────────────────────────────────────────

    /**
     * Writes and stores the quiz under a claim we hold, heartbeating while the LLM works. None
     * when the claim was taken over meanwhile (then the other claimant's quiz counts). On
     * failure or interruption the claim is released so the next request can try at once.
     */
    const writeUnderClaim = (id: string, claimId: string, pillar: PillarId) =>
      Effect.scoped(Effect.gen(function*() {
        yield* repo.heartbeat(id, claimId).pipe(
          Effect.schedule(Schedule.spaced(timings.heartbeatMs)),
          Effect.forkScoped
        )
        const written = yield* writer.write(pillar).pipe(
          Effect.catchAll((error) =>
            Effect.logWarning("Quiz generation failed", error).pipe(
              Effect.annotateLogs({ assessmentId: id }),
              Effect.zipRight(Effect.fail(quizUnavailable(error)))
            )
          )
        )
        const stored = yield* repo.storeQuiz(id, claimId, written)
        return stored ? Option.some<StoredQuiz>(written) : Option.none<StoredQuiz>()
      })).pipe(Effect.onExit((exit) => (exit._tag === "Success" ? Effect.void : repo.release(id, claimId))))

    /**
     * The quiz, generated at most once: stored already → it; else take the durable claim and
     * write it; else another request or instance holds the claim → wait for its quiz (taking
     * the claim over if its holder goes silent).
     */
    const ensureQuiz = (userId: string, id: string, pillar: PillarId) =>
      Effect.gen(function*() {
        const deadline = (yield* Clock.currentTimeMillis) + timings.waitMs
        while (true) {
          const stored = yield* repo.quizOf(id)
          if (Option.isSome(stored)) return stored.value
          const claimId = randomUUID()
          if (yield* repo.claim(id, claimId, timings.staleSeconds)) {
            const written = yield* writeUnderClaim(id, claimId, pillar)
            if (Option.isSome(written)) return written.value
            continue
          }
          // Not claimed: held elsewhere, or the assessment was deleted meanwhile.
          yield* owned(userId, id)
          if ((yield* Clock.currentTimeMillis) > deadline) {
            return yield* Effect.fail(
              new ServiceUnavailable({ message: "The quiz is still being written elsewhere; try again shortly." })
            )
          }
          yield* Effect.sleep(timings.pollMs)
        }
      })

    const generateQuestions = Effect.fn("Assessments.generateQuestions")(function*(userId: string, id: string) {
      const assessment = yield* owned(userId, id)
      yield* Effect.annotateCurrentSpan({ assessmentId: id, pillar: assessment.pillar })
      const stored = yield* repo.quizOf(id)
      if (Option.isSome(stored)) return quizQuestionsOf(stored.value)
      const quiz = yield* flights.run(id, ensureQuiz(userId, id, assessment.pillar))
      return quizQuestionsOf(quiz)
    })

    const questions = Effect.fn("Assessments.questions")(function*(userId: string, id: string) {
      yield* owned(userId, id)
      const stored = yield* repo.quizOf(id)
      if (Option.isNone(stored)) return yield* Effect.fail(questionsNotReady())
      return quizQuestionsOf(stored.value)
    })

    // ── Answers ─────────────────────────────────────────────────────────────

    /** The upsert, and when it wrote nothing, the precise reason. */
    const write = (userId: string, id: string, questionId: string, value: number) =>
      Effect.flatMap(repo.upsertAnswer(userId, id, questionId, value), Option.match({
        onSome: (row) => Effect.succeed(AnswerSaved.make({ questionId: row.questionId as AnswerSaved["questionId"], value: row.value })),
        onNone: () =>
          Effect.flatMap(repo.answerObstacle(userId, id, questionId), (obstacle): Effect.Effect<
            never,
            NotFound | AssessmentCompleted | QuestionsNotReady | UnknownQuestion
          > => {
            if (Option.isNone(obstacle)) return Effect.fail(notFound())
            const { hasQuiz, questionExists, status } = obstacle.value
            if (status === "completed") {
              return Effect.fail(new AssessmentCompleted({ message: "This assessment is completed: its answers can no longer change." }))
            }
            if (!hasQuiz) return Effect.fail(questionsNotReady())
            if (!questionExists) return Effect.fail(unknownQuestion(questionId))
            return Effect.dieMessage(`Answer to ${id}/${questionId} not written although every condition holds`)
          })
      }))

    const answer = Effect.fn("Assessments.answer")(function*(
      userId: string,
      id: string,
      questionId: string,
      value: number,
      idempotencyKey: string | undefined
    ) {
      yield* Effect.annotateCurrentSpan({ assessmentId: id, questionId })
      if (!uuid.test(id)) return yield* Effect.fail(notFound())
      if (!questionIdPattern.test(questionId)) {
        // Still 404 for someone else's assessment: the question is only looked at in one's own.
        yield* owned(userId, id)
        return yield* Effect.fail(unknownQuestion(questionId))
      }
      if (idempotencyKey === undefined) return yield* write(userId, id, questionId, value)
      const fingerprint = fingerprintOf(["PUT", id, questionId, value])
      return yield* repo.transaction(Effect.gen(function*() {
        const prior = yield* repo.reserveKey(userId, idempotencyKey, fingerprint)
        if (Option.isSome(prior)) {
          if (prior.value.fingerprint !== fingerprint) {
            return yield* Effect.fail(
              new IdempotencyKeyReused({
                message: "This Idempotency-Key was already used with a different request.",
                details: [new ErrorDetail({ path: "idempotency-key", message: "Use a new key for a new answer" })]
              })
            )
          }
          yield* Effect.annotateCurrentSpan({ replayed: true })
          return yield* Effect.orDie(decodeAnswer(prior.value.body))
        }
        const saved = yield* write(userId, id, questionId, value)
        yield* repo.recordResponse(userId, idempotencyKey, { status: 200, body: JSON.stringify(encodeAnswer(saved)) })
        return saved
      }))
    })

    // ── Completion and results ──────────────────────────────────────────────

    const storedResults = (userId: string, id: string) =>
      Effect.flatMap(repo.resultsOf(userId, id), (document) =>
        Option.match(document, {
          onNone: () => Effect.succeed(Option.none<Results>()),
          onSome: (doc) => Effect.map(Effect.orDie(decodeResults(doc)), Option.some)
        }))

    /**
     * Scores the answers and stores the results, in one transaction that holds the assessment's
     * row lock: answers arriving meanwhile wait, then find it completed. Completing again
     * answers the stored results.
     */
    const complete = Effect.fn("Assessments.complete")(function*(userId: string, id: string) {
      yield* Effect.annotateCurrentSpan({ assessmentId: id })
      if (!uuid.test(id)) return yield* Effect.fail(notFound())
      return yield* repo.transaction(Effect.gen(function*() {
        const locked = yield* repo.lockForCompletion(userId, id)
        if (Option.isNone(locked)) return yield* Effect.fail(notFound())
        const { mode, pillar, status } = locked.value
        if (status === "completed") {
          return yield* Effect.flatMap(storedResults(userId, id), Option.match({
            onNone: () => Effect.dieMessage(`Assessment ${id} is completed but has no results`),
            onSome: Effect.succeed
          }))
        }
        const quiz = yield* repo.quizOf(id)
        if (Option.isNone(quiz)) return yield* Effect.fail(questionsNotReady())
        const answers = yield* repo.answersOf(id)
        const scored = scoreQuiz(pillar, quiz.value.questions, answers)
        if (Either.isLeft(scored)) {
          const missing = scored.left
          return yield* Effect.fail(
            new AnswersIncomplete({
              message: `${missing.length} of ${quiz.value.questions.length} questions have no answer yet: ${missing.join(", ")}.`,
              details: missing.map((q) => new ErrorDetail({ path: `answers.${q}`, message: "No answer yet" }))
            })
          )
        }
        const s = scored.right
        const completedAt = yield* DateTime.now
        const results = resultsOf(s, { assessmentId: id, pillar, mode, completedAt })
        yield* repo.saveResults(id, {
          pillarScore: s.pillarScore,
          completedAt: DateTime.toDateUtc(completedAt),
          document: encodeResults(results),
          scoringVersion
        })
        return results
      }))
    })

    const results = Effect.fn("Assessments.results")(function*(userId: string, id: string) {
      yield* owned(userId, id)
      const stored = yield* storedResults(userId, id)
      if (Option.isNone(stored)) {
        return yield* Effect.fail(
          new ResultsNotReady({ message: "This assessment is not completed yet: POST /api/v1/assessments/{id}/complete first." })
        )
      }
      return stored.value
    })

    // ── Progress ────────────────────────────────────────────────────────────

    const progress = Effect.fn("Assessments.progress")(function*(userId: string) {
      const [counts, averages, recent] = yield* Effect.all([
        repo.counts(userId),
        repo.averages(userId),
        repo.recent(userId, 10)
      ])
      const order = (pillar: string) => pillars.findIndex((p) => p.id === pillar)
      const covered = [...averages].sort((a, b) => order(a.pillar) - order(b.pillar))
      return new Progress({
        completed: counts.completed,
        inProgress: counts.inProgress,
        pillarsCovered: covered.map((a) => a.pillar),
        modesCovered: modes.map((m) => m.id).filter((m) => covered.some((a) => a.mode === m)),
        averages: covered.map((a) =>
          new PillarAverage({
            pillar: a.pillar,
            mode: a.mode,
            count: a.count,
            average: Math.round(a.average * 10) / 10,
            latest: a.latest,
            lastCompletedAt: utc(a.lastCompletedAt)
          })
        ),
        recent: recent.map((row) =>
          new Activity({
            assessmentId: AssessmentId.make(row.id),
            pillar: row.pillar,
            mode: row.mode,
            status: row.status,
            at: utc(row.at),
            answered: row.answered,
            pillarScore: row.pillarScore
          })
        )
      })
    })

    return {
      create,
      list,
      get,
      remove,
      generateQuestions,
      questions,
      answer,
      complete,
      results,
      progress
    } as const
  }),
  dependencies: [AssessmentRepo.Default, QuizWriter.Default]
}) {}
