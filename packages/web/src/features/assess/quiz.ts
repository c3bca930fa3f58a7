/**
 * The quiz's pure rules: the five-point scale, which answers count (the server's, overridden by
 * those still waiting to be saved), where to resume, and how far the learner may move. Kept
 * apart from the page so they can be tested without a browser.
 */

export type Answers = Readonly<Record<string, number>>

export interface ScalePoint {
  readonly value: 1 | 2 | 3 | 4 | 5
  readonly label: string
}

/** 1 strongly disagree … 5 strongly agree, as the contract's `Likert` defines it. */
export const scale: ReadonlyArray<ScalePoint> = [
  { value: 1, label: "Strongly disagree" },
  { value: 2, label: "Disagree" },
  { value: 3, label: "Neither agree nor disagree" },
  { value: 4, label: "Agree" },
  { value: 5, label: "Strongly agree" }
]

export const isLikert = (value: number): value is ScalePoint["value"] => Number.isInteger(value) && value >= 1 && value <= 5

/**
 * What this tab should show as each question's answer: what the server has, overridden by what
 * was given here (or in another tab of this browser) and not yet saved, which is newer.
 */
export const effectiveAnswers = (
  server: Answers,
  pending: ReadonlyArray<{ readonly questionId: string; readonly value: number }>
): Answers => {
  const merged: Record<string, number> = { ...server }
  for (const answer of pending) merged[answer.questionId] = answer.value
  return merged
}

/** How many of the questions have an answer. */
export const answeredCount = (questionIds: ReadonlyArray<string>, answers: Answers): number =>
  questionIds.filter((id) => answers[id] !== undefined).length

/** The index of the first question without an answer; `questionIds.length` (the review step) when all have one. */
export const firstUnanswered = (questionIds: ReadonlyArray<string>, answers: Answers): number => {
  const index = questionIds.findIndex((id) => answers[id] === undefined)
  return index < 0 ? questionIds.length : index
}

/** Where to open the quiz: the first unanswered question, or the review step when all are answered. */
export const resumeIndex = firstUnanswered

/**
 * The furthest the learner may go: up to and including the first unanswered question (the
 * review step once all are answered). Skipping ahead would leave a gap that completing rejects.
 */
export const furthestReachable = (questionIds: ReadonlyArray<string>, answers: Answers): number =>
  firstUnanswered(questionIds, answers)

export const clampIndex = (index: number, questionIds: ReadonlyArray<string>, answers: Answers): number =>
  Math.max(0, Math.min(index, furthestReachable(questionIds, answers)))

/**
 * Where to be after the answers changed underneath (another tab answered, a refresh): stay on
 * the question being looked at, unless it was waiting for an answer that has now been given
 * elsewhere — then move on to the next one still open, as if it had been answered here.
 */
export const afterRefresh = (
  current: number,
  questionIds: ReadonlyArray<string>,
  before: Answers,
  after: Answers
): number => {
  const id = questionIds[current]
  if (id !== undefined && before[id] === undefined && after[id] !== undefined) return firstUnanswered(questionIds, after)
  return clampIndex(current, questionIds, after)
}

/** The answer for a key press: "1"…"5" (top row or keypad). */
export const valueOfKey = (key: string): ScalePoint["value"] | undefined => {
  const n = Number(key)
  return key.length === 1 && isLikert(n) ? n : undefined
}
