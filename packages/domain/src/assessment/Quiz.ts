import { Option } from "effect"
import { ErrorDetail } from "../Errors.js"
import { QuestionId } from "../Ids.js"
import { forcesOf, pillarById } from "../pilar/Pilar.js"
import type { ForceId, PillarId } from "../pilar/Schema.js"
import type { CreateAssessment, Question } from "./Schema.js"

/**
 * The quiz's blueprint and its invariants: pure, so the server (which generates and checks a
 * quiz) and the web app agree on what a valid quiz is.
 */

export const quizLength = 10
export const minReverseKeyed = 2

/**
 * The name of the structured output an LLM writes a quiz as: an object with one property per
 * slot (`q01` … `q10`), each `{ force, reverse, statement }` with `force` and `reverse` fixed by
 * the plan. The offline provider recognises it by this name and writes the statements itself.
 */
export const quizOutputName = "pilar_quiz"

/** One statement to write: which force it probes and whether agreeing means the force is weak. */
export interface QuizSlot {
  readonly id: QuestionId
  readonly force: ForceId
  readonly reverse: boolean
}

/** `q01` … `q10`. */
export const questionIdAt = (index: number): QuestionId => QuestionId.make(`q${String(index + 1).padStart(2, "0")}`)

/**
 * Ten statements over the pillar's four forces A, B, C, D: three each for A and B, two each
 * for C and D, every force probed in both directions (four reverse-keyed in all), and no force
 * twice in a row, so a learner who agrees with everything does not score 100 and the order
 * does not give the structure away.
 */
const blueprint: ReadonlyArray<readonly [force: 0 | 1 | 2 | 3, reverse: boolean]> = [
  [0, false],
  [1, true],
  [2, false],
  [3, true],
  [0, false],
  [1, false],
  [2, true],
  [3, false],
  [0, true],
  [1, false]
]

/** The slots of a pillar's quiz, in question order. */
export const quizPlan = (pillar: PillarId): ReadonlyArray<QuizSlot> => {
  const forces = forcesOf(pillar)
  return blueprint.map(([force, reverse], index) => ({ id: questionIdAt(index), force: forces[force]!.id, reverse }))
}

/**
 * Why a list of questions is not a valid quiz for this pillar (empty when it is): exactly ten,
 * unique ids, every force of the pillar covered and nothing else, at least two reverse-keyed,
 * every statement non-empty.
 */
export const quizProblems = (pillar: PillarId, questions: ReadonlyArray<Question>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  if (questions.length !== quizLength) problems.push(`expected ${quizLength} questions, got ${questions.length}`)
  const ids = new Set(questions.map((q) => q.id))
  if (ids.size !== questions.length) problems.push("question ids are not unique")
  const forces = new Set(forcesOf(pillar).map((f) => f.id))
  const foreign = questions.filter((q) => !forces.has(q.force)).map((q) => q.force)
  if (foreign.length > 0) problems.push(`forces not of ${pillar}: ${[...new Set(foreign)].join(", ")}`)
  const missing = [...forces].filter((f) => !questions.some((q) => q.force === f))
  if (missing.length > 0) problems.push(`forces not covered: ${missing.join(", ")}`)
  const reversed = questions.filter((q) => q.reverse).length
  if (reversed < minReverseKeyed) problems.push(`expected at least ${minReverseKeyed} reverse-keyed questions, got ${reversed}`)
  if (questions.some((q) => q.text.trim() === "")) problems.push("a statement is empty")
  return problems
}

/**
 * What the schema cannot say about a request to start an assessment: without `draw`, both
 * `pillar` and `mode` are needed and must agree; when drawing, a pillar must not be given.
 */
export const createProblems = (request: CreateAssessment): ReadonlyArray<ErrorDetail> => {
  if (request.draw === true) {
    return request.pillar === undefined
      ? []
      : [new ErrorDetail({ path: "pillar", message: "Leave pillar out when drawing a card (mode may narrow the draw)" })]
  }
  const problems: Array<ErrorDetail> = []
  if (request.pillar === undefined) {
    problems.push(new ErrorDetail({ path: "pillar", message: "Choose a pillar, or send { \"draw\": true } for a random one" }))
  }
  if (request.mode === undefined) {
    problems.push(new ErrorDetail({ path: "mode", message: "Choose a mode: egalitarian or hierarchical" }))
  }
  if (request.pillar !== undefined && request.mode !== undefined) {
    const pillar = pillarById(request.pillar)
    if (Option.isSome(pillar) && pillar.value.mode !== request.mode) {
      problems.push(new ErrorDetail({
        path: "mode",
        message: `${pillar.value.title} (${pillar.value.id}) is a ${pillar.value.mode} pillar, not ${request.mode}`
      }))
    }
  }
  return problems
}
