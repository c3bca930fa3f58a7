import { HttpApiMiddleware } from "@effect/platform"
import { Wire } from "./Errors.js"

/**
 * Rate-limit tiers an endpoint or group opts into (the sign-in and refresh tiers,
 * `SignInRateLimit` and `RefreshRateLimit`, sit with the auth endpoints). Past a limit: 429
 * `rate_limited` with `Retry-After`; every answer carries `RateLimit-Limit`, `-Remaining` and
 * `-Reset` for the tightest tier that applied.
 *
 * Order matters, and it is the platform's (@effect/platform 0.97): on one endpoint the
 * middleware declared LAST runs FIRST, and a group's middleware runs after its endpoints' own.
 */

/**
 * Calls to AI routes (quiz generation, coaching) per signed-in user. It needs the user, so it
 * must run after `Authentication`: declare it on the endpoint BEFORE `Authentication`,
 *
 *   HttpApiEndpoint.post("generate", "/quizzes").middleware(AiRateLimit).middleware(Authentication)
 *
 * (or put `Authentication` on the group with `middlewareEndpoints`, which appends it to each
 * endpoint). Declared the other way round it cannot tell users apart and answers 500.
 */
export class AiRateLimit extends HttpApiMiddleware.Tag<AiRateLimit>()("RateLimit/Ai", {
  failure: Wire.RateLimited
}) {}

/**
 * Every other API request: per user when the endpoint authenticates, otherwise per client
 * address. Put on whole groups in `Api.ts`, where it runs after the endpoints' own
 * middleware (`Authentication` included). Health is exempt (probes must never be refused).
 */
export class RateLimit extends HttpApiMiddleware.Tag<RateLimit>()("RateLimit/General", {
  failure: Wire.RateLimited
}) {}
