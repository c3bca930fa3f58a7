import type { SendOutcome } from "./answerQueue.js"

/**
 * What a failed answer PUT means for the queue: try again later, or drop it. The rule: keep an
 * answer whenever the failure may pass — the network, the server being busy or restarting, or
 * the session needing the learner to sign in again — and drop it only when the server said it
 * can never be accepted (the assessment is gone or completed, the question does not exist).
 */

const tagOf = (u: unknown): string | undefined =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : undefined

/** Refusals that no retry can turn into a success. */
const permanent: ReadonlySet<string> = new Set([
  "NotFound",
  "UnknownQuestion",
  "QuestionsNotReady",
  "AssessmentCompleted",
  "ValidationFailed",
  "MalformedJson",
  "IdempotencyKeyReused",
  "PayloadTooLarge",
  "UnsupportedMediaType",
  "RouteNotFound",
  "Forbidden"
])

export const saveOutcomeOf = (error: unknown): SendOutcome =>
  permanent.has(tagOf(error) ?? "") ? { _tag: "rejected", error } : { _tag: "retry", error }

/** True when the refusal means the quiz is over: another tab (or device) completed it. */
export const isCompletedElsewhere = (error: unknown): boolean => tagOf(error) === "AssessmentCompleted"
