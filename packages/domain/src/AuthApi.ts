import { HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { RequestBody, Wire } from "./Errors.js"
import { UserId } from "./Ids.js"

/** The cookie that carries the refresh token for the web app (httpOnly, SameSite=Strict, Path=/api/v1/auth). */
export const refreshCookieName = "compilar_refresh"

export const minPasswordLength = 12
export const maxPasswordLength = 1024

export const Email = Schema.Trim.pipe(
  Schema.maxLength(254, { message: () => "At most 254 characters" }),
  Schema.pattern(/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/, {
    message: () => "Enter a valid email address, like name@example.com"
  })
).annotations({ identifier: "Email" })

/**
 * Why a password is too weak for this account, or undefined when it is acceptable. Shared by
 * the server (which enforces it) and the web app (which can say it inline before sending).
 */
export const passwordProblem = (password: string, email?: string): string | undefined => {
  if (password.length < minPasswordLength) return `Weak password: use at least ${minPasswordLength} characters`
  if (password.length > maxPasswordLength) return `At most ${maxPasswordLength} characters`
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length
  if (classes < 2) {
    return "Weak password: mix at least two kinds of characters (lower case, upper case, digits, symbols)"
  }
  if (new Set(password).size < 4) return "Weak password: use more than a few different characters"
  if (email !== undefined) {
    const normalized = password.trim().toLowerCase()
    const address = email.trim().toLowerCase()
    const local = address.split("@")[0] ?? ""
    if (normalized === address || (local.length >= 4 && normalized.includes(local))) {
      return "Weak password: it must not contain your email address"
    }
  }
  return undefined
}

const Password = Schema.String.pipe(
  Schema.minLength(minPasswordLength, {
    message: () => `Weak password: use at least ${minPasswordLength} characters`
  }),
  Schema.maxLength(maxPasswordLength, { message: () => `At most ${maxPasswordLength} characters` })
)

const DisplayName = Schema.Trim.pipe(
  Schema.nonEmptyString({ message: () => "Enter a name to show (1 to 80 characters)" }),
  Schema.maxLength(80, { message: () => "At most 80 characters" })
)

export const SignupRequest = RequestBody({ email: Email, password: Password, displayName: DisplayName })
  .annotations({ identifier: "SignupRequest" })

export const LoginRequest = RequestBody({
  email: Email,
  password: Schema.String.pipe(
    Schema.nonEmptyString({ message: () => "Enter your password" }),
    Schema.maxLength(maxPasswordLength, { message: () => `At most ${maxPasswordLength} characters` })
  )
}).annotations({ identifier: "LoginRequest" })

/** `refreshToken` for API clients; the web app leaves it out and sends `{}` with its cookie. */
export const RefreshRequest = RequestBody({
  refreshToken: Schema.optional(Schema.String.pipe(Schema.maxLength(256)))
}).annotations({ identifier: "RefreshRequest" })

export class AuthUser extends Schema.Class<AuthUser>("AuthUser")({
  id: UserId,
  email: Schema.String,
  displayName: Schema.String,
  roles: Schema.Array(Schema.String)
}) {}

export class AuthSession extends Schema.Class<AuthSession>("AuthSession")({
  user: AuthUser,
  /** HS256 JWT for `Authorization: Bearer …`; keep it in memory only. */
  accessToken: Schema.String,
  /** When `accessToken` stops being accepted. */
  expiresAt: Schema.DateTimeUtc,
  /** For non-browser clients; browsers get the same token in the httpOnly cookie. */
  refreshToken: Schema.String
}) {}

/** Who made an authenticated request, from a verified access token. */
export interface AuthenticatedUser {
  readonly id: UserId
  /** The sign-in session (one device) the token belongs to. */
  readonly sessionId: string
  readonly roles: ReadonlyArray<string>
}

export class CurrentUser extends Context.Tag("Auth/CurrentUser")<CurrentUser, AuthenticatedUser>() {}

/**
 * Bearer access token (ours, or Supabase's in Supabase mode) → `CurrentUser`; 401 `unauthorized`
 * or `token_expired` otherwise, 503 `service_unavailable` when Supabase's signing keys cannot be
 * fetched to check a token.
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("Auth/Authentication", {
  failure: Schema.Union(Wire.Unauthorized, Wire.TokenExpired, Wire.ServiceUnavailable),
  provides: CurrentUser,
  security: {
    bearer: HttpApiSecurity.bearer.pipe(
      HttpApiSecurity.annotate(OpenApi.Description, "An access token from sign-up, sign-in or refresh.")
    )
  }
}) {}

/** The verified-token cache, in aggregate: no user, session or token appears here. */
export class TokenCacheStats extends Schema.Class<TokenCacheStats>("TokenCacheStats")({
  /** Verified tokens held now. */
  size: Schema.Int,
  /** The most it holds (`AUTH_TOKEN_CACHE_SIZE`). */
  capacity: Schema.Int,
  /** Authenticated requests answered from the cache (refused tokens remembered for a few seconds included). */
  hits: Schema.Int,
  /** Authenticated requests whose token had to be verified. */
  misses: Schema.Int,
  /** hits / (hits + misses), 0 before the first request; since this instance started. */
  hitRate: Schema.Number,
  /** Verified tokens dropped to make room. */
  evictions: Schema.Int,
  /** Verified tokens dropped because their session was revoked (logout, refresh reuse) or the cache invalidated. */
  revocations: Schema.Int
}) {}

export class CacheInvalidated extends Schema.Class<CacheInvalidated>("CacheInvalidated")({
  /** Verified tokens this instance dropped (the others drop theirs when told). */
  evicted: Schema.Int
}) {}

/** Attempts to sign up or sign in, limited per client address and per account: 429 `rate_limited` past a limit. */
export class SignInRateLimit extends HttpApiMiddleware.Tag<SignInRateLimit>()("Auth/SignInRateLimit", {
  failure: Wire.RateLimited
}) {}

/**
 * Refreshes, limited per client address on a budget of their own: every open tab refreshes, so
 * a shared address (a classroom behind one NAT) refreshes far more often than anyone signs in.
 */
export class RefreshRateLimit extends HttpApiMiddleware.Tag<RefreshRateLimit>()("Auth/RefreshRateLimit", {
  failure: Wire.RateLimited
}) {}

/** Where the group's routes live. */
export const authPrefix = "/api/v1/auth"

/** Also served on the server's fast path (at `authPrefix`): no inputs but the bearer token. */
export const meEndpoint = HttpApiEndpoint.get("me", "/me")
  .addSuccess(AuthUser)
  .middleware(Authentication)
  .annotate(OpenApi.Description, "The signed-in user.")

export class AuthApi extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("signup", "/signup")
      .setPayload(SignupRequest)
      .addSuccess(AuthSession, { status: 201 })
      .middleware(SignInRateLimit)
      .addError(Wire.EmailTaken)
      .annotate(
        OpenApi.Description,
        "Create a local account and sign in. The refresh token is also set as the httpOnly `compilar_refresh` cookie."
      )
  )
  .add(
    HttpApiEndpoint.post("login", "/login")
      .setPayload(LoginRequest)
      .addSuccess(AuthSession)
      .middleware(SignInRateLimit)
      .addError(Wire.InvalidCredentials)
      .annotate(OpenApi.Description, "Sign in; one message for an unknown email and a wrong password.")
  )
  .add(
    HttpApiEndpoint.post("refresh", "/refresh")
      .setPayload(RefreshRequest)
      .addSuccess(AuthSession)
      .middleware(RefreshRateLimit)
      .addError(Wire.Unauthorized)
      .addError(Wire.RefreshReused)
      .annotate(
        OpenApi.Description,
        "Exchange a refresh token (body, or the cookie) for new tokens. Each refresh token works once: " +
          "presenting a replaced one revokes that session (`refresh_reused`)."
      )
  )
  .add(
    HttpApiEndpoint.post("logout", "/logout")
      .setPayload(RefreshRequest)
      .addSuccess(Schema.Void, { status: 204 })
      .annotate(
        OpenApi.Description,
        "Sign out this session (the refresh token in the body or the cookie); other devices stay signed in."
      )
  )
  .add(meEndpoint)
  .add(
    HttpApiEndpoint.get("cacheStats", "/cache-stats")
      .addSuccess(TokenCacheStats)
      .middleware(Authentication)
      .addError(Wire.Forbidden)
      .annotate(
        OpenApi.Description,
        "Operators only (403 `forbidden` for others): the verified-token cache of the instance that answers, " +
          "as aggregate counters."
      )
  )
  .add(
    HttpApiEndpoint.post("invalidateCache", "/invalidate-cache")
      .addSuccess(CacheInvalidated)
      .middleware(Authentication)
      .addError(Wire.Forbidden)
      .annotate(
        OpenApi.Description,
        "Operators only (403 `forbidden` for others): every instance forgets every verified token; the next " +
          "request with each token verifies it again. No body."
      )
  )
  .prefix(authPrefix)
  .annotate(OpenApi.Title, "Accounts")
{}
