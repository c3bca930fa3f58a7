import type {
  Assessment,
  AssessmentDetail,
  CreateAssessment,
  QuizQuestions,
  Results
} from "@compilar/domain"
import { action, json, query } from "@solidjs/router"
import { Either } from "effect"
import type { ErrorView } from "../../lib/errors.js"
import { callApi } from "../../lib/runtime.js"
import { listAssessments } from "../history/Page.data.js"
import { getProgress } from "../progress/Page.data.js"
import { answerStoreKey, browserAnswerStore, type QueuedAnswer } from "./answerStore.js"
import type { SendOutcome } from "./answerQueue.js"
import { type Outcome, tagOf, toOutcome } from "./outcome.js"
import { saveOutcomeOf } from "./saveFailure.js"

/**
 * The assessment pages' calls to the API, through the typed client. Reads are router queries
 * keyed by the learner as well as the assessment, so one learner's data is never served from
 * the cache to the next one on this browser. Failures are data (`Outcome`) and toasts.
 */

/** GET /assessments/:id: the assessment and every answer given so far. */
export const getAssessment = query(
  async (_userId: string, id: string): Promise<Outcome<AssessmentDetail>> =>
    toOutcome(await callApi((api) => api.assessments.get({ path: { id } })), "assessment-load"),
  "assessment"
)

/** GET …/results; `ResultsNotReady` is not toasted: the page says "finish the quiz first". */
export const getResults = query(
  async (_userId: string, id: string): Promise<Outcome<Results>> =>
    toOutcome(
      await callApi((api) => api.assessments.results({ path: { id } })),
      "results-load",
      (error) => tagOf(error) === "ResultsNotReady"
    ),
  "assessmentResults"
)

/**
 * The quiz: read it when it exists, generate it otherwise. Generating is idempotent on the
 * server (a second tab or a retry gets the same quiz) but calls the model and counts against
 * the learner's AI rate limit, so it is only asked for when reading says there is no quiz yet.
 */
export const loadQuiz = async (id: string, generated: boolean): Promise<Outcome<QuizQuestions>> => {
  if (generated) {
    const read = await callApi((api) => api.assessments.questions({ path: { id } }))
    if (Either.isRight(read) || tagOf(read.left) !== "QuestionsNotReady") return toOutcome(read, "quiz-load")
  }
  return toOutcome(await callApi((api) => api.assessments.generateQuestions({ path: { id } })), "quiz-generate")
}

/** POST /assessments: `{ pillar, mode }`, or `{ draw: true, mode? }` for a card drawn at random. */
export const startAssessment = async (payload: CreateAssessment): Promise<Outcome<Assessment>> =>
  toOutcome(await callApi((api) => api.assessments.create({ payload })), "assessment-start")

/** PUT …/answers/:questionId with the answer's idempotency key, as the answer queue wants it. */
export const sendAnswer = async (id: string, answer: QueuedAnswer): Promise<SendOutcome> => {
  const result = await callApi((api) =>
    api.assessments.answer({
      path: { id, questionId: answer.questionId },
      payload: { value: answer.value },
      headers: { "idempotency-key": answer.key }
    })
  )
  return Either.isRight(result) ? { _tag: "saved" } : saveOutcomeOf(result.left)
}

/** POST …/complete: scores the answers; `AnswersIncomplete` is handled by the page (it goes to the gap). */
export const completeAssessment = async (id: string): Promise<Outcome<Results>> =>
  toOutcome(
    await callApi((api) => api.assessments.complete({ path: { id } })),
    "assessment-complete",
    (error) => tagOf(error) === "AnswersIncomplete"
  )

/** What deleting came to: `gone` when it had already been deleted (in another tab): what the learner wanted. */
export type DeleteOutcome =
  | { readonly _tag: "deleted" }
  | { readonly _tag: "gone" }
  | { readonly _tag: "failed"; readonly error: ErrorView }

/**
 * DELETE /assessments/:id, as a router action (`useSubmission` says while it runs); a failure is
 * toasted. Once it is gone, this browser forgets it: its cached reads are dropped, not fetched
 * again (a page still showing it is on its way out and would only get a 404), and so are answers
 * still waiting to be sent (they can never be saved now). The history and progress are fetched
 * again where they are on screen, and afresh wherever they are shown next.
 */
export const deleteAssessment = action(async (userId: string, id: string) => {
  const outcome = toOutcome(
    await callApi((api) => api.assessments.remove({ path: { id } })),
    "assessment-delete",
    (error) => tagOf(error) === "NotFound"
  )
  const result: DeleteOutcome =
    outcome._tag === "ok"
      ? { _tag: "deleted" }
      : tagOf(outcome.cause) === "NotFound"
      ? { _tag: "gone" }
      : { _tag: "failed", error: outcome.error }
  if (result._tag !== "failed") {
    query.delete(getAssessment.keyFor(userId, id))
    query.delete(getResults.keyFor(userId, id))
    browserAnswerStore(answerStoreKey(userId, id)).write([])
  }
  return json(result, { revalidate: [listAssessments.key, getProgress.key] })
}, "deleteAssessment")
