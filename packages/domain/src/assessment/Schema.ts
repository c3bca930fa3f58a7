import { Schema } from "effect"
import { RequestBody } from "../Errors.js"
import { AssessmentId, ChunkId, QuestionId } from "../Ids.js"
import { ConnectionId, ConnectionType, ForceId, ModeId, PillarId, Strength } from "../pilar/Schema.js"

/**
 * The shapes of the learner journey: an assessment of one pillar in one mode, its generated quiz,
 * the answers, and the results computed when it is completed. Shared by the server (which stores
 * them), the web app and the tests through the HttpApi.
 */

/** `created`: no quiz yet; `in_progress`: quiz generated, answers being given; `completed`: results stored. */
export const AssessmentStatus = Schema.Literal("created", "in_progress", "completed").annotations({
  identifier: "AssessmentStatus"
})
export type AssessmentStatus = typeof AssessmentStatus.Type

/** An answer on the five-point scale: 1 strongly disagree … 5 strongly agree. */
export const Likert = Schema.Number.pipe(
  Schema.int({ message: () => "A whole number from 1 (strongly disagree) to 5 (strongly agree)" }),
  Schema.between(1, 5, { message: () => "A whole number from 1 (strongly disagree) to 5 (strongly agree)" })
).annotations({ identifier: "Likert" })
export type Likert = typeof Likert.Type

/** Every score, force or pillar, on PILAR's 0–100 scale: `(mean − 1) / 4 × 100`. */
export const Score = Schema.Number.pipe(Schema.between(0, 100)).annotations({ identifier: "Score" })

/** Feedback bands: low < 40, mid 40–70 (both ends included), high > 70. */
export const Band = Schema.Literal("low", "mid", "high").annotations({ identifier: "Band" })
export type Band = typeof Band.Type

// ── Requests ─────────────────────────────────────────────────────────────────

/**
 * `{ pillar, mode }` picks a pillar; `{ draw: true }` draws one at random (of `mode`, when given).
 * The combinations the schema cannot express (both fields required unless drawing, the pillar
 * belonging to the mode) are checked by `createProblems`, which the web app can run too.
 */
export const CreateAssessment = RequestBody({
  pillar: Schema.optional(PillarId),
  mode: Schema.optional(ModeId),
  draw: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "CreateAssessment" })
export type CreateAssessment = typeof CreateAssessment.Type

export const AnswerRequest = RequestBody({ value: Likert }).annotations({ identifier: "AnswerRequest" })

/** `Idempotency-Key`, chosen by the client (a UUID is usual): 1–255 visible ASCII characters. */
export const IdempotencyKey = Schema.String.pipe(
  Schema.pattern(/^[\x21-\x7e]{1,255}$/, { message: () => "1 to 255 visible ASCII characters, such as a UUID" })
).annotations({ identifier: "IdempotencyKey" })

export const AnswerHeaders = Schema.Struct({ "idempotency-key": Schema.optional(IdempotencyKey) })

export const maxPageSize = 100

export const HistoryParams = Schema.Struct({
  limit: Schema.optional(
    Schema.NumberFromString.pipe(
      Schema.int({ message: () => `A whole number from 1 to ${maxPageSize}` }),
      Schema.between(1, maxPageSize, { message: () => `A whole number from 1 to ${maxPageSize}` })
    )
  ),
  /** `nextCursor` of the previous page. */
  cursor: Schema.optional(Schema.String)
})

// ── Assessments ──────────────────────────────────────────────────────────────

export class Assessment extends Schema.Class<Assessment>("Assessment")({
  id: AssessmentId,
  pillar: PillarId,
  mode: ModeId,
  status: AssessmentStatus,
  createdAt: Schema.DateTimeUtc
}) {}

/** One row of the history: the assessment, when it was completed and its pillar score then. */
export class AssessmentSummary extends Assessment.extend<AssessmentSummary>("AssessmentSummary")({
  completedAt: Schema.NullOr(Schema.DateTimeUtc),
  pillarScore: Schema.NullOr(Score)
}) {}

export class AssessmentPage extends Schema.Class<AssessmentPage>("AssessmentPage")({
  /** Newest first. */
  items: Schema.Array(AssessmentSummary),
  /** Pass as `cursor` for the next (older) page; null on the last page. Stable under inserts. */
  nextCursor: Schema.NullOr(Schema.String)
}) {}

/** What a client needs to resume: the assessment and every answer given so far. */
export class AssessmentDetail extends AssessmentSummary.extend<AssessmentDetail>("AssessmentDetail")({
  /** Questions in the quiz (0 before it is generated). */
  questionCount: Schema.Int,
  answers: Schema.Record({ key: Schema.String, value: Likert })
}) {}

// ── Quiz ─────────────────────────────────────────────────────────────────────

export class Question extends Schema.Class<Question>("Question")({
  id: QuestionId,
  /** The statement the learner rates from 1 to 5. */
  text: Schema.String,
  force: ForceId,
  /** Agreeing means the force is weak: the answer is flipped (6 − value) before scoring. */
  reverse: Schema.Boolean
}) {}

export class QuizQuestions extends Schema.Class<QuizQuestions>("QuizQuestions")({
  questions: Schema.Array(Question),
  /** The knowledge chunks the quiz was grounded in, for citation. */
  sources: Schema.Array(ChunkId)
}) {}

export class AnswerSaved extends Schema.Class<AnswerSaved>("AnswerSaved")({
  questionId: QuestionId,
  value: Likert
}) {}

// ── Results ──────────────────────────────────────────────────────────────────

/** The push a connection predicts on its target, from the source pillar's score. */
export const EffectDirection = Schema.Literal("up", "down", "steady", "depends").annotations({
  identifier: "EffectDirection",
  description: "up/down: the target is pushed that way; steady: the source sits at the midpoint; " +
    "depends: a discretionary connection, whose direction depends on context"
})
export type EffectDirection = typeof EffectDirection.Type

export class PredictedEffect extends Schema.Class<PredictedEffect>("PredictedEffect")({
  connection: ConnectionId,
  /** Null for a discretionary connection, which has no name. */
  name: Schema.NullOr(Schema.String),
  target: PillarId,
  type: ConnectionType,
  strength: Strength,
  direction: EffectDirection,
  /** Signed, −1…1: strength × (pillar score − 50) / 50, negated for an inverse connection, 0 for a discretionary one. */
  push: Schema.Number.pipe(Schema.between(-1, 1))
}) {}

export class ForceHighlight extends Schema.Class<ForceHighlight>("ForceHighlight")({
  force: ForceId,
  score: Score,
  band: Band
}) {}

export class Results extends Schema.Class<Results>("Results")({
  assessmentId: AssessmentId,
  pillar: PillarId,
  mode: ModeId,
  pillarScore: Score,
  pillarBand: Band,
  forceScores: Schema.Record({ key: ForceId, value: Score }),
  /** Strongest push first. */
  effects: Schema.Array(PredictedEffect),
  /** High forces, highest first (or the single highest force when none is high). */
  strengths: Schema.Array(ForceHighlight),
  /** Low forces, lowest first (or the single lowest force when none is low). */
  growthAreas: Schema.Array(ForceHighlight),
  completedAt: Schema.DateTimeUtc
}) {}

// ── Progress ─────────────────────────────────────────────────────────────────

export class PillarAverage extends Schema.Class<PillarAverage>("PillarAverage")({
  pillar: PillarId,
  mode: ModeId,
  /** Completed assessments of this pillar. */
  count: Schema.Int,
  average: Score,
  latest: Score,
  lastCompletedAt: Schema.DateTimeUtc
}) {}

export class Activity extends Schema.Class<Activity>("Activity")({
  assessmentId: AssessmentId,
  pillar: PillarId,
  mode: ModeId,
  status: AssessmentStatus,
  /** The latest of: created, last answer, completed. */
  at: Schema.DateTimeUtc,
  answered: Schema.Int,
  pillarScore: Schema.NullOr(Score)
}) {}

export class Progress extends Schema.Class<Progress>("Progress")({
  completed: Schema.Int,
  inProgress: Schema.Int,
  pillarsCovered: Schema.Array(PillarId),
  modesCovered: Schema.Array(ModeId),
  /** Per pillar with at least one completed assessment, in dataset order. */
  averages: Schema.Array(PillarAverage),
  /** Most recent first, at most 10. */
  recent: Schema.Array(Activity)
}) {}
