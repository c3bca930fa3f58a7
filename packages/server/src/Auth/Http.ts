import {
  Api,
  AuthSession,
  authPrefix,
  type AuthUser,
  CacheInvalidated,
  CurrentUser,
  meEndpoint,
  RateLimited,
  refreshCookieName,
  TokenCacheStats,
  type Unauthorized
} from "@compilar/domain"
import { HttpApiBuilder, HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import { Accounts, type Issued } from "../Auth.js"
import { bearerToken, fromAuthenticatedEndpoint } from "../Http/FastRoute.js"
import { RateLimitConfig, RateLimiter, rateLimitHeaders, WINDOW_MS } from "../RateLimit.js"

/**
 * The refresh cookie: httpOnly (scripts never see it), SameSite=Strict (never sent from
 * another site, which is what makes cookie-only /refresh and /logout safe from CSRF), scoped
 * to /api/v1/auth (no other route receives it). `Secure` is set unless the request was made
 * to a loopback host (localhost, 127.0.0.1, [::1]) so that local development over plain
 * http works; everywhere else the browser only sends it over https.
 */
const cookiePath = "/api/v1/auth"

const isLoopbackHost = (host: string | undefined) => {
  if (host === undefined) return false
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.split(":")[0]!
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(name)
}

const secureFor = (request: HttpServerRequest.HttpServerRequest) => !isLoopbackHost(request.headers["host"])

const setRefreshCookie = (token: string, maxAgeSeconds: number) =>
  HttpApp.appendPreResponseHandler((request, response) =>
    Effect.succeed(
      HttpServerResponse.unsafeSetCookie(response, refreshCookieName, token, {
        httpOnly: true,
        sameSite: "strict",
        secure: secureFor(request),
        path: cookiePath,
        maxAge: `${maxAgeSeconds} seconds`
      })
    )
  )

const clearRefreshCookie = HttpApp.appendPreResponseHandler((request, response) =>
  Effect.succeed(
    HttpServerResponse.expireCookie(response, refreshCookieName, {
      httpOnly: true,
      sameSite: "strict",
      secure: secureFor(request),
      path: cookiePath
    })
  )
)

/** The refresh token: the body's when given (API clients), else the cookie's (the web app). */
const presentedToken = (body: string | undefined) =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) => body ?? request.cookies[refreshCookieName])

const userAgent = Effect.map(HttpServerRequest.HttpServerRequest, (request) => request.headers["user-agent"])

export const AuthHttpLive = HttpApiBuilder.group(Api, "auth", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const answer = (issued: Issued) =>
      Effect.as(setRefreshCookie(issued.refreshToken, accounts.refreshTtlSeconds), new AuthSession(issued))

    return handlers
      .handle("signup", ({ payload }) =>
        userAgent.pipe(Effect.flatMap((agent) => accounts.signup(payload, agent)), Effect.flatMap(answer)))
      .handle("login", ({ payload }) =>
        userAgent.pipe(Effect.flatMap((agent) => accounts.login(payload, agent)), Effect.flatMap(answer)))
      .handle("refresh", ({ payload }) =>
        presentedToken(payload.refreshToken).pipe(
          Effect.flatMap(accounts.refresh),
          Effect.flatMap(answer),
          // A refused refresh token is of no further use: drop the cookie too.
          Effect.tapError(() => clearRefreshCookie)
        ))
      .handle("logout", ({ payload }) =>
        presentedToken(payload.refreshToken).pipe(
          Effect.flatMap(accounts.logout),
          Effect.zipRight(clearRefreshCookie)
        ))
      .handle("me", () => Effect.flatMap(CurrentUser, (user) => accounts.me(user.id)))
      .handle("cacheStats", () =>
        CurrentUser.pipe(
          Effect.flatMap(accounts.cacheStats),
          Effect.map((stats) => TokenCacheStats.make(stats))
        ))
      .handle("invalidateCache", () =>
        CurrentUser.pipe(
          Effect.flatMap(accounts.invalidateCache),
          Effect.map((evicted) => CacheInvalidated.make({ evicted }))
        ))
  }))

/**
 * `GET /api/v1/auth/me` on the fast path (Http/FastRoute.ts): every signed-in page asks it, and
 * with the token and the profile cached it is a hash and a few map lookups. Same contract and
 * same semantics as the HttpApi route: the bearer token read the way `HttpApiSecurity.bearer`
 * reads it, the same verification and errors, then the general rate limit per user exactly as
 * `RateLimit/Middleware.ts` applies it to the auth group (same key, limit, headers, message).
 */
export const meFastRoute = Effect.gen(function*() {
  const accounts = yield* Accounts
  const limiter = yield* RateLimiter
  const { generalPerMinute } = yield* RateLimitConfig
  return fromAuthenticatedEndpoint(meEndpoint.prefix(authPrefix), (request, response) =>
    Effect.flatMap(accounts.authenticate(bearerToken(request), request.socket), (user) =>
      Effect.flatMap(limiter.consume(`general:user:${user.id}`, generalPerMinute, WINDOW_MS), (decision): Effect.Effect<
        AuthUser,
        Unauthorized | RateLimited
      > => {
        const headers = rateLimitHeaders(decision)
        response.add(headers)
        return decision.allowed
          ? accounts.me(user.id)
          : Effect.fail(new RateLimited({ message: `Too many requests; try again in ${headers["retry-after"]} seconds.` }))
      })))
})
