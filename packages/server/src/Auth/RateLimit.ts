import { RefreshRateLimit, SignInRateLimit } from "@compilar/domain"
import { HttpServerRequest } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { createHash } from "node:crypto"
import { ClientAddress } from "../Http/ClientAddress.js"
import { RateLimitConfig, RateLimiter, WINDOW_MS } from "../RateLimit.js"
import { enforce, tightest } from "../RateLimit/Enforce.js"

const tryLater = (seconds: string) => `Too many sign-in attempts; try again in ${seconds} seconds.`

/**
 * The account a sign-up or sign-in names: its email as accounts compare it (trimmed, lower
 * case), hashed so that shared stores (Redis) never hold addresses. None for a body without
 * one (a malformed body that validation will refuse next).
 */
const accountOf = (request: HttpServerRequest.HttpServerRequest) =>
  request.json.pipe(
    Effect.map((body) => {
      const email = typeof body === "object" && body !== null && "email" in body ? body.email : undefined
      return typeof email === "string" && email.trim() !== ""
        ? Option.some(createHash("sha256").update(email.trim().toLowerCase()).digest("base64url").slice(0, 32))
        : Option.none()
    }),
    Effect.orElseSucceed(() => Option.none<string>())
  )

/**
 * Sign-up and sign-in attempts, limited per client address (a guesser trying many accounts)
 * and per account whatever the address (a botnet trying one account). Both are counted before
 * any password work. The address is checked first, so a refused address reads no body and
 * costs no account its attempts. (A per-account limit also lets anyone lock an account's
 * sign-in for the rest of the minute; the window is kept short for that reason.)
 */
export const SignInRateLimitLive = Layer.effect(
  SignInRateLimit,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter
    const tiers = yield* RateLimitConfig
    const addresses = yield* ClientAddress
    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const byAddress = yield* limiter.consume(`signin:ip:${addresses.of(request)}`, tiers.signInPerMinute, WINDOW_MS)
      if (!byAddress.allowed) return yield* enforce(byAddress, tryLater)
      const account = yield* accountOf(request)
      if (Option.isNone(account)) return yield* enforce(byAddress, tryLater)
      const byAccount = yield* limiter.consume(
        `signin:account:${account.value}`,
        tiers.signInAccountPerMinute,
        WINDOW_MS
      )
      yield* enforce(tightest(byAddress, byAccount), tryLater)
    })
  })
)

/**
 * Refreshes, per client address, on their own budget (`RATE_LIMIT_REFRESH_PER_MINUTE`): many
 * tabs, or many learners behind one address, refreshing together must not lock that address
 * out of signing in, nor a burst of sign-in attempts keep its signed-in learners from
 * refreshing. Counted before the token is looked up.
 */
export const RefreshRateLimitLive = Layer.effect(
  RefreshRateLimit,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter
    const { refreshPerMinute } = yield* RateLimitConfig
    const addresses = yield* ClientAddress
    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const decision = yield* limiter.consume(`refresh:ip:${addresses.of(request)}`, refreshPerMinute, WINDOW_MS)
      yield* enforce(decision, (seconds) => `Too many session refreshes; try again in ${seconds} seconds.`)
    })
  })
)
