import { Api, CurrentUser } from "@compilar/domain"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Assessments } from "../Assessments.js"
import { withRetryAfter } from "../Http/RetryAfter.js"

/** The learner's id from the verified access token: every use case is scoped to it. */
const learner = Effect.map(CurrentUser, (user) => user.id)

export const AssessmentsHttpLive = HttpApiBuilder.group(Api, "assessments", (handlers) =>
  Effect.gen(function*() {
    const assessments = yield* Assessments
    return handlers
      .handle("create", ({ payload }) => Effect.flatMap(learner, (user) => assessments.create(user, payload)))
      .handle("list", ({ urlParams }) => Effect.flatMap(learner, (user) => assessments.list(user, urlParams)))
      .handle("get", ({ path }) => Effect.flatMap(learner, (user) => assessments.get(user, path.id)))
      .handle("remove", ({ path }) => Effect.flatMap(learner, (user) => assessments.remove(user, path.id)))
      .handle("generateQuestions", ({ path }) =>
        withRetryAfter(Effect.flatMap(learner, (user) => assessments.generateQuestions(user, path.id))))
      .handle("questions", ({ path }) => Effect.flatMap(learner, (user) => assessments.questions(user, path.id)))
      .handle("answer", ({ headers, path, payload }) =>
        Effect.flatMap(learner, (user) =>
          assessments.answer(user, path.id, path.questionId, payload.value, headers["idempotency-key"])))
      .handle("complete", ({ path }) => Effect.flatMap(learner, (user) => assessments.complete(user, path.id)))
      .handle("results", ({ path }) => Effect.flatMap(learner, (user) => assessments.results(user, path.id)))
      .handle("progress", () => Effect.flatMap(learner, (user) => assessments.progress(user)))
  }))
