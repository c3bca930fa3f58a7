import { RateLimited } from "@compilar/domain"
import { HttpApp, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { type RateDecision, rateLimitHeaders } from "../RateLimit.js"

/** Orders decisions by how much they constrain the client: a refusal before every allowance; the longer wait among refusals; the fewer requests left among allowances. */
const tightness = (d: Pick<RateDecision, "allowed" | "remaining" | "resetMs">) =>
  d.allowed ? -d.remaining : Number.MAX_SAFE_INTEGER / 2 + d.resetMs

export const tightest = (first: RateDecision, ...rest: ReadonlyArray<RateDecision>): RateDecision =>
  rest.reduce((a, b) => (tightness(b) > tightness(a) ? b : a), first)

/** What an earlier tier already reported on this response, if any. */
const reported = (headers: Readonly<Record<string, string>>) => {
  const remaining = headers["ratelimit-remaining"]
  const reset = headers["ratelimit-reset"]
  if (remaining === undefined || reset === undefined) return undefined
  return { allowed: headers["retry-after"] === undefined, remaining: Number(remaining), resetMs: Number(reset) * 1000 }
}

/**
 * Reports `decision` on the response (`RateLimit-*`, and `Retry-After` when refused) and fails
 * with `rate_limited` when it refuses. Several tiers may count one request (sign-in, then the
 * general tier); the response shows the tightest of them.
 */
export const enforce = (decision: RateDecision, message: (retryAfterSeconds: string) => string) => {
  const headers = rateLimitHeaders(decision)
  return Effect.zipRight(
    HttpApp.appendPreResponseHandler((_, response) => {
      const earlier = reported(response.headers)
      return Effect.succeed(
        earlier !== undefined && tightness(earlier) >= tightness(decision)
          ? response
          : HttpServerResponse.setHeaders(response, headers)
      )
    }),
    decision.allowed ? Effect.void : Effect.fail(new RateLimited({ message: message(headers["retry-after"]!) }))
  )
}
