import {
  AnswerHeaders,
  AnswerRequest,
  type AnswerSaved,
  answerEndpoint,
  MalformedJson,
  RateLimited,
  type ValidationFailed
} from "@compilar/domain"
import { Effect, Either, Schema } from "effect"
import { Accounts } from "../Auth.js"
import { Assessments } from "../Assessments.js"
import { bearerToken, fromPatternEndpoint, invalidRequest, jsonBody } from "../Http/FastRoute.js"
import { RateLimitConfig, RateLimiter, rateLimitHeaders, WINDOW_MS } from "../RateLimit.js"

type AnswerError = Effect.Effect.Error<ReturnType<Assessments["answer"]>>

const decodePayload = Schema.decodeUnknownEither(AnswerRequest)
const decodeHeaders = Schema.decodeUnknownEither(AnswerHeaders)

/**
 * `PUT /api/v1/assessments/:id/answers/:questionId` answered by node:http directly (see
 * Http/NodeServer.ts): the journey's hottest request, where the platform's request path cost
 * three quarters of the CPU of an answer (README, Performance). It does what the platform
 * route does, in the same order: `Authentication`, the general rate limit per learner (with
 * its headers), then the body (`malformed_json`) and the payload and headers decoded with the
 * contract's schemas (`validation_failed` naming each field), then the same use case. A test
 * compares every outcome with the platform route.
 */
export const answerFastRoute = Effect.gen(function*() {
  const accounts = yield* Accounts
  const limiter = yield* RateLimiter
  const { generalPerMinute } = yield* RateLimitConfig
  const assessments = yield* Assessments
  return fromPatternEndpoint(answerEndpoint, { body: true }, (request, response) =>
    Effect.flatMap(accounts.authenticate(bearerToken(request), request.socket), (user) =>
      Effect.flatMap(limiter.consume(`general:user:${user.id}`, generalPerMinute, WINDOW_MS), (decision): Effect.Effect<
        AnswerSaved,
        AnswerError | RateLimited | MalformedJson | ValidationFailed
      > => {
        const headers = rateLimitHeaders(decision)
        response.add(headers)
        if (!decision.allowed) {
          return Effect.fail(new RateLimited({ message: `Too many requests; try again in ${headers["retry-after"]} seconds.` }))
        }
        const body = jsonBody(request)
        if (Either.isLeft(body)) return Effect.fail(body.left)
        const payload = decodePayload(body.right)
        if (Either.isLeft(payload)) return Effect.fail(invalidRequest(payload.left))
        const given = decodeHeaders(request.headers)
        if (Either.isLeft(given)) return Effect.fail(invalidRequest(given.left))
        const params = request.params ?? {}
        return assessments.answer(user.id, params["id"] ?? "", params["questionId"] ?? "", payload.right.value, given.right["idempotency-key"])
      })))
})
