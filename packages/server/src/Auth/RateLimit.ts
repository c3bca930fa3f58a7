import { RateLimited, SignInRateLimit } from "@compilar/domain"
import { HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { RateLimitConfig, RateLimiter, rateLimitHeaders } from "../RateLimit.js"

const WINDOW_MS = 60_000

/** Sign-in attempts per client address (the socket's; forwarded headers are not trusted yet). */
export const SignInRateLimitLive = Layer.effect(
  SignInRateLimit,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter
    const { signInPerMinute } = yield* RateLimitConfig
    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const address = Option.getOrElse(request.remoteAddress, () => "unknown")
      const decision = yield* limiter.consume(`signin:${address}`, signInPerMinute, WINDOW_MS)
      const headers = rateLimitHeaders(decision)
      yield* HttpApp.appendPreResponseHandler((_, response) => Effect.succeed(HttpServerResponse.setHeaders(response, headers)))
      if (!decision.allowed) {
        return yield* new RateLimited({
          message: `Too many sign-in attempts; try again in ${headers["retry-after"]} seconds.`
        })
      }
    })
  })
)
