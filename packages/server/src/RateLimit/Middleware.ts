import { AiRateLimit, CurrentUser, RateLimit } from "@compilar/domain"
import { HttpServerRequest } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { ClientAddress } from "../Http/ClientAddress.js"
import { RateLimitConfig, RateLimiter, WINDOW_MS } from "../RateLimit.js"
import { enforce } from "./Enforce.js"

/** The general tier's refusal message. */
export const tryLater = (seconds: string) => `Too many requests; try again in ${seconds} seconds.`

/** The general tier's key for a signed-in user (a fast route that applies the tier by hand must use the same). */
export const generalUserKey = (userId: string) => `general:user:${userId}`

/** The general tier's key for an anonymous request, by client address (`ClientAddress`). */
export const generalAddressKey = (address: string) => `general:ip:${address}`

/**
 * The general tier: per user when an earlier middleware (`Authentication`) identified one,
 * otherwise per client address. Users and addresses have separate counters, so a signed-in
 * learner behind a shared address (an office, a school) is not limited by their neighbours.
 */
export const RateLimitLive = Layer.effect(
  RateLimit,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter
    const { generalPerMinute } = yield* RateLimitConfig
    const addresses = yield* ClientAddress
    return Effect.gen(function*() {
      const user = yield* Effect.serviceOption(CurrentUser)
      const key = Option.isSome(user)
        ? generalUserKey(user.value.id)
        : generalAddressKey(addresses.of(yield* HttpServerRequest.HttpServerRequest))
      yield* enforce(yield* limiter.consume(key, generalPerMinute, WINDOW_MS), tryLater)
    })
  })
)

/**
 * The AI tier, per user. Without a user the endpoint declared it in the wrong order (see
 * `AiRateLimit`): that is a bug in the contract, reported as a defect rather than limiting
 * everyone under one key.
 */
export const AiRateLimitLive = Layer.effect(
  AiRateLimit,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter
    const { aiPerMinute } = yield* RateLimitConfig
    return Effect.gen(function*() {
      const user = yield* Effect.serviceOption(CurrentUser)
      if (Option.isNone(user)) {
        return yield* Effect.dieMessage(
          "AiRateLimit ran before Authentication: declare .middleware(AiRateLimit) before .middleware(Authentication)"
        )
      }
      const decision = yield* limiter.consume(`ai:user:${user.value.id}`, aiPerMinute, WINDOW_MS)
      yield* enforce(decision, (seconds) => `Too many AI requests; try again in ${seconds} seconds.`)
    })
  })
)
