import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  AnswerHeaders,
  AnswerRequest,
  AnswerSaved,
  Assessment,
  AssessmentDetail,
  AssessmentPage,
  CreateAssessment,
  HistoryParams,
  Progress,
  QuizQuestions,
  Results
} from "./assessment/Schema.js"
import { Authentication } from "./AuthApi.js"
import { Wire } from "./Errors.js"
import { AiRateLimit } from "./RateLimits.js"

/**
 * The learner journey: start an assessment, generate its quiz once, answer it (each answer an
 * idempotent upsert), complete it for results, and follow progress. Every route needs a
 * signed-in learner and sees only that learner's assessments: anyone else's is a 404, never a
 * 403 that would confirm it exists. A malformed id is a 404 too. Quiz generation calls the LLM
 * and is limited per learner (`AiRateLimit`); the group also takes the general limit (Api.ts).
 */
const id = HttpApiSchema.param("id", Schema.String)
const questionId = HttpApiSchema.param("questionId", Schema.String)

/** Exported for the server's fast route (the hottest endpoint of the journey), which must answer exactly as this one. */
export const answerEndpoint = HttpApiEndpoint.put("answer")`/api/v1/assessments/${id}/answers/${questionId}`
  .setPayload(AnswerRequest)
  .setHeaders(AnswerHeaders)
  .addSuccess(AnswerSaved)
  .addError(Wire.NotFound)
  .addError(Wire.UnknownQuestion)
  .addError(Wire.QuestionsNotReady)
  .addError(Wire.AssessmentCompleted)
  .addError(Wire.IdempotencyKeyReused)
  .annotate(
    OpenApi.Description,
    "Answer one question (or change the answer): an idempotent upsert. With `Idempotency-Key`, a repeated request " +
      "gets the original response back and changes nothing; the same key with another body is 422."
  )

export class AssessmentApi extends HttpApiGroup.make("assessments")
  .add(
    HttpApiEndpoint.post("create", "/api/v1/assessments")
      .setPayload(CreateAssessment)
      .addSuccess(Assessment, { status: 201 })
      .annotate(
        OpenApi.Description,
        "Start an assessment of one pillar: `{ pillar, mode }`, or `{ draw: true }` (optionally with `mode`) for a random card."
      )
  )
  .add(
    HttpApiEndpoint.get("list", "/api/v1/assessments")
      .setUrlParams(HistoryParams)
      .addSuccess(AssessmentPage)
      .annotate(OpenApi.Description, "The learner's assessments, newest first, `limit` (1–100, default 20) per page.")
  )
  .add(
    HttpApiEndpoint.get("get")`/api/v1/assessments/${id}`
      .addSuccess(AssessmentDetail)
      .addError(Wire.NotFound)
      .annotate(OpenApi.Description, "One assessment with every answer given so far (`{ <questionId>: value }`), to resume it.")
  )
  .add(
    HttpApiEndpoint.del("remove")`/api/v1/assessments/${id}`
      .addSuccess(Schema.Void, { status: 204 })
      .addError(Wire.NotFound)
      .annotate(OpenApi.Description, "Delete an assessment with its quiz, answers and results.")
  )
  .add(
    HttpApiEndpoint.post("generateQuestions")`/api/v1/assessments/${id}/questions`
      .addSuccess(QuizQuestions)
      // Declared before Authentication (appended below), so it runs after it and counts per learner.
      .middleware(AiRateLimit)
      .addError(Wire.NotFound)
      .addError(Wire.ServiceUnavailable)
      .annotate(
        OpenApi.Description,
        "Generate the quiz (10 statements rated 1–5 over the pillar's four forces, some reverse-keyed, grounded in the " +
          "knowledge base) the first time; every later or concurrent call answers the same quiz without generating again."
      )
  )
  .add(
    HttpApiEndpoint.get("questions")`/api/v1/assessments/${id}/questions`
      .addSuccess(QuizQuestions)
      .addError(Wire.NotFound)
      .addError(Wire.QuestionsNotReady)
      .annotate(OpenApi.Description, "The quiz, once generated.")
  )
  .add(answerEndpoint)
  .add(
    HttpApiEndpoint.post("complete")`/api/v1/assessments/${id}/complete`
      .addSuccess(Results)
      .addError(Wire.NotFound)
      .addError(Wire.QuestionsNotReady)
      .addError(Wire.AnswersIncomplete)
      .annotate(
        OpenApi.Description,
        "Score the answers and store the results; completing again answers the same results."
      )
  )
  .add(
    HttpApiEndpoint.get("results")`/api/v1/assessments/${id}/results`
      .addSuccess(Results)
      .addError(Wire.NotFound)
      .addError(Wire.ResultsNotReady)
      .annotate(OpenApi.Description, "Force and pillar scores (0–100), predicted effects on connected pillars, strengths and growth areas.")
  )
  .add(
    HttpApiEndpoint.get("progress", "/api/v1/me/progress")
      .addSuccess(Progress)
      .annotate(OpenApi.Description, "Assessments completed, pillars and modes covered, average score per pillar, recent activity.")
  )
  // Appended to every endpoint, so it runs first, before AiRateLimit on the quiz route.
  .middlewareEndpoints(Authentication)
  .annotate(OpenApi.Title, "Assessments")
{}
