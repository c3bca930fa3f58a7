import { Either } from "effect"
import type { QuestionId } from "../Ids.js"
import { connectionsFrom, forcesOf } from "../pilar/Pilar.js"
import type { Connection, ForceId, PillarId } from "../pilar/Schema.js"
import type { Band, EffectDirection } from "./Schema.js"

/**
 * Scoring, as PILAR.md defines it: answers on 1–5 (reverse-keyed ones flipped), force and pillar
 * scores on 0–100 with `(mean − 1) / 4 × 100`, bands low < 40 ≤ mid ≤ 70 < high, and the push a
 * source pillar's score predicts on each pillar it connects to. Pure: the server stores what
 * this computes and the web app can explain it with the same code.
 */

/** Bumped whenever a rule below changes, and stored with each result. */
export const scoringVersion = "pilar-scoring-1"

/** One decimal place: scores are shown as such, and stored results must compare equal when replayed. */
const round1 = (n: number) => Math.round(n * 10) / 10
const round2 = (n: number) => Math.round(n * 100) / 100

/** A mean answer (1–5) on the 0–100 scale. */
export const scoreOfMean = (mean: number): number => ((mean - 1) / 4) * 100

/** The value that counts for scoring: reverse-keyed answers are flipped (1 ↔ 5, 2 ↔ 4, 3 stays). */
export const keyedValue = (value: number, reverse: boolean): number => (reverse ? 6 - value : value)

export const bandOf = (score: number): Band => (score < 40 ? "low" : score > 70 ? "high" : "mid")

export interface ScoredQuestion {
  readonly id: QuestionId
  readonly force: ForceId
  readonly reverse: boolean
}

export interface Highlight {
  readonly force: ForceId
  readonly score: number
  readonly band: Band
}

export interface PredictedPush {
  readonly connection: Connection
  readonly direction: EffectDirection
  readonly push: number
}

export interface Scored {
  readonly pillarScore: number
  readonly pillarBand: Band
  /** Every force of the pillar, in dataset order. */
  readonly forceScores: ReadonlyArray<{ readonly force: ForceId; readonly score: number }>
  readonly effects: ReadonlyArray<PredictedPush>
  readonly strengths: ReadonlyArray<Highlight>
  readonly growthAreas: ReadonlyArray<Highlight>
}

/**
 * The push a connection predicts from its source's score: strength × (score − 50) / 50, in the
 * source's direction for Reinforce and against it for Inverse. Discretionary connections depend
 * on context, so they predict no direction (push 0).
 */
export const predictedEffect = (connection: Connection, sourceScore: number): PredictedPush => {
  if (connection.type === "discretionary") return { connection, direction: "depends", push: 0 }
  const sign = connection.type === "reinforce" ? 1 : -1
  const push = round2(sign * connection.strength * ((sourceScore - 50) / 50))
  return { connection, direction: push > 0 ? "up" : push < 0 ? "down" : "steady", push: push === 0 ? 0 : push }
}

/**
 * Strengths are the high forces, highest first; growth areas the low ones, lowest first. When
 * no force is high (or low), the single best (or weakest) force stands in, as long as the
 * forces differ at all: a profile always has something to build on and something to work on,
 * and an even profile has neither.
 */
const highlights = (scores: ReadonlyArray<{ readonly force: ForceId; readonly score: number }>) => {
  const byScore = [...scores].sort((a, b) => b.score - a.score)
  const top = byScore[0]
  const bottom = [...scores].sort((a, b) => a.score - b.score)[0]
  const spread = top !== undefined && bottom !== undefined && top.score > bottom.score
  const highlight = (s: { readonly force: ForceId; readonly score: number }): Highlight => ({ ...s, band: bandOf(s.score) })
  const high = byScore.filter((s) => bandOf(s.score) === "high")
  // Ties keep dataset order both ways (sorts are stable).
  const low = [...scores].sort((a, b) => a.score - b.score).filter((s) => bandOf(s.score) === "low")
  return {
    strengths: (high.length > 0 ? high : spread ? [top!] : []).map(highlight),
    growthAreas: (low.length > 0 ? low : spread ? [bottom!] : []).map(highlight)
  }
}

/**
 * Scores a completed quiz. Left: the ids of the questions without an answer (in quiz order).
 * The pillar score is the mean of its four force scores, so each force weighs the same however
 * many statements probed it.
 */
export const scoreQuiz = (
  pillar: PillarId,
  questions: ReadonlyArray<ScoredQuestion>,
  answers: Readonly<Record<string, number>>
): Either.Either<Scored, ReadonlyArray<QuestionId>> => {
  const missing = questions.filter((q) => answers[q.id] === undefined).map((q) => q.id)
  if (missing.length > 0) return Either.left(missing)
  const exact = forcesOf(pillar).map((force) => {
    const values = questions.filter((q) => q.force === force.id).map((q) => keyedValue(answers[q.id]!, q.reverse))
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length
    return { force: force.id, score: values.length === 0 ? Number.NaN : scoreOfMean(mean) }
  }).filter((s) => !Number.isNaN(s.score))
  const pillarScore = round1(exact.reduce((sum, s) => sum + s.score, 0) / exact.length)
  const forceScores = exact.map((s) => ({ force: s.force, score: round1(s.score) }))
  const effects = connectionsFrom(pillar)
    .map((connection) => predictedEffect(connection, pillarScore))
    .sort((a, b) => Math.abs(b.push) - Math.abs(a.push) || a.connection.id.localeCompare(b.connection.id))
  return Either.right({ pillarScore, pillarBand: bandOf(pillarScore), forceScores, effects, ...highlights(forceScores) })
}
