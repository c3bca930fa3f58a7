import {
  AuthUser,
  EmailTaken,
  ErrorDetail,
  Forbidden,
  InvalidCredentials,
  passwordProblem,
  RefreshReused,
  ServiceUnavailable,
  TokenExpired,
  Unauthorized,
  UserId,
  ValidationFailed
} from "@compilar/domain"
import type { AuthenticatedUser } from "@compilar/domain"
import { Config, ConfigError, Context, Data, DateTime, Effect, Either, Layer, Option, Redacted } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { dataDir } from "./Database.js"
import { hashPassword, owaspScrypt, type ScryptParams, verifyPassword } from "./Auth/Passwords.js"
import { AuthRepo, type UserRow } from "./Auth/Repo.js"
import {
  claimedIssuer,
  displayNameOf,
  makeSupabaseVerifier,
  supabaseConfig,
  type SupabaseClaims,
  type SupabaseSettings
} from "./Auth/Supabase.js"
import {
  defaultTokenCacheSettings,
  makeTokenCache,
  type TokenCacheSettings,
  type Verified,
  type VerifyError
} from "./Auth/TokenCache.js"
import { hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken } from "./Auth/Tokens.js"

/**
 * Accounts: local ones (the embedded default: sign-up, sign-in, rotating refresh tokens with
 * reuse detection, logout of one session) and, when configured, Supabase Auth users; and the
 * verification of access tokens for the `Authentication` middleware, through the
 * verified-token cache (`Auth/TokenCache.ts`). The HTTP side is `Auth/Http.ts`; the cookie is
 * set there.
 */

export interface AuthConfigShape {
  /** HS256 key for access tokens. */
  readonly jwtKey: Redacted.Redacted<Uint8Array>
  readonly accessTtlSeconds: number
  /** Absolute lifetime of a session (and so of its refresh tokens). */
  readonly refreshTtlSeconds: number
  /** Lower-cased; these accounts get the `operator` role. */
  readonly operatorEmails: ReadonlyArray<string>
  readonly scrypt: ScryptParams
  readonly tokenCache: TokenCacheSettings
  /** Supabase mode: accept the project's access tokens too. */
  readonly supabase: Option.Option<SupabaseSettings>
}

export class AuthKeyUnavailable extends Data.TaggedError("AuthKeyUnavailable")<{
  readonly message: string
  readonly cause?: unknown
}> {}

const keyFileName = "auth-jwt.key"

/**
 * The signing key kept in `<dataDir>/auth-jwt.key` (0600), generated on first start. `wx`
 * makes the first of two instances starting together win; the other reads its key.
 */
export const keyFromDataDir = (dataDir: string) =>
  Effect.tryPromise({
    try: async () => {
      const file = join(dataDir, keyFileName)
      await mkdir(dataDir, { recursive: true })
      try {
        await writeFile(file, randomBytes(64).toString("base64url"), { mode: 0o600, flag: "wx" })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
      }
      await chmod(file, 0o600)
      const text = (await readFile(file, "utf8")).trim()
      if (text.length < 43) throw new Error(`${file} holds fewer than 32 bytes of key`)
      return Buffer.from(text, "utf8") as Uint8Array
    },
    catch: (cause) =>
      new AuthKeyUnavailable({
        message: `Cannot read or create the token signing key in ${dataDir} (set AUTH_JWT_SECRET instead): ${String(cause)}`,
        cause
      })
  })

const jwtSecret = Config.option(Config.redacted("AUTH_JWT_SECRET")).pipe(
  Config.map(Option.filter((secret) => Redacted.value(secret).trim() !== "")),
  Config.mapOrFail((secret) =>
    Option.isSome(secret) && Redacted.value(secret.value).length < 32
      ? Either.left(ConfigError.InvalidData(["AUTH_JWT_SECRET"], "Expected at least 32 characters"))
      : Either.right(secret)
  )
)

const operatorEmails = Config.array(Config.string(), "OPERATOR_EMAILS").pipe(
  Config.map((items) => items.map((item) => item.trim().toLowerCase()).filter((item) => item !== "")),
  Config.withDefault([] as ReadonlyArray<string>)
)

const tokenCacheSize = Config.integer().pipe(
  Config.validate({ message: "Expected an integer between 1 and 10000000", validation: (n) => n >= 1 && n <= 10_000_000 }),
  Config.nested("AUTH_TOKEN_CACHE_SIZE"),
  Config.withDefault(defaultTokenCacheSettings.capacity)
)

export class AuthConfig extends Context.Tag("Auth/Config")<AuthConfig, AuthConfigShape>() {
  /**
   * `AUTH_JWT_SECRET` (≥ 32 characters) or the key file under `DATA_DIR`; `OPERATOR_EMAILS`;
   * `AUTH_TOKEN_CACHE_SIZE`; `SUPABASE_URL`, `SUPABASE_JWT_SECRET`, `SUPABASE_JWT_AUDIENCE`.
   */
  static readonly Live = Layer.effect(
    AuthConfig,
    Effect.gen(function*() {
      const secret = yield* jwtSecret
      const jwtKey = Option.isSome(secret)
        ? Redacted.make(Buffer.from(Redacted.value(secret.value), "utf8") as Uint8Array)
        : Redacted.make(yield* keyFromDataDir(yield* dataDir))
      if (Option.isNone(secret)) yield* Effect.logInfo(`Auth: token signing key from DATA_DIR/${keyFileName}`)
      return {
        jwtKey,
        accessTtlSeconds: 15 * 60,
        refreshTtlSeconds: 30 * 24 * 3600,
        operatorEmails: yield* operatorEmails,
        scrypt: owaspScrypt,
        tokenCache: { ...defaultTokenCacheSettings, capacity: yield* tokenCacheSize },
        supabase: yield* supabaseConfig
      }
    })
  )

  static readonly layer = (config: AuthConfigShape) => Layer.succeed(AuthConfig, config)
}

export interface Issued {
  readonly user: AuthUser
  readonly accessToken: string
  readonly expiresAt: DateTime.Utc
  readonly refreshToken: string
}

const invalidCredentials = () => new InvalidCredentials({ message: "The email or password is incorrect." })
const sessionEnded = () => new Unauthorized({ message: "This session has ended; sign in again." })
const invalidAccessToken = () => new Unauthorized({ message: "The access token is not valid; sign in again." })
const expiredAccessToken = () => new TokenExpired({ message: "The access token has expired; refresh it." })
const signInFirst = () => new Unauthorized({ message: "Sign in first: send `Authorization: Bearer <access token>`." })

/** An email the users table accepts, or none (Supabase phone and anonymous users have none). */
const storableEmail = (email: string | undefined) =>
  email !== undefined && email.length >= 3 && email.length <= 254 ? email : null

const maxUserAgent = 512

export class Accounts extends Effect.Service<Accounts>()("Auth/Accounts", {
  scoped: Effect.gen(function*() {
    const config = yield* AuthConfig
    const repo = yield* AuthRepo
    const cache = yield* makeTokenCache(config.tokenCache)
    const supabase = Option.isSome(config.supabase) ? yield* makeSupabaseVerifier(config.supabase.value) : undefined
    if (supabase !== undefined) yield* Effect.logInfo(`Auth: accepting Supabase access tokens from ${supabase.issuer}`)

    /** Compared against when the email is unknown, so that path costs one scrypt too. */
    const dummyHash = yield* Effect.cached(hashPassword(randomBytes(16).toString("hex"), config.scrypt))

    /** Stored roles, with `operator` exactly when the configuration names the account. */
    const rolesOf = (user: UserRow): ReadonlyArray<string> => {
      const others = user.roles.filter((role) => role !== "operator")
      return config.operatorEmails.includes(user.email.toLowerCase()) ? [...others, "operator"] : others
    }

    const toAuthUser = (user: UserRow) =>
      new AuthUser({ id: UserId.make(user.id), email: user.email, displayName: user.displayName, roles: rolesOf(user) })

    const issue = (user: UserRow, sessionId: string, refreshToken: string) =>
      Effect.map(
        signAccessToken(config.jwtKey, { userId: user.id, sessionId, roles: rolesOf(user) }, config.accessTtlSeconds),
        (access): Issued => ({
          user: toAuthUser(user),
          accessToken: access.token,
          expiresAt: DateTime.unsafeMake(access.expiresAtMs),
          refreshToken
        })
      )

    const startSession = (user: UserRow, userAgent: string | undefined) =>
      Effect.gen(function*() {
        const sessionId = randomUUID()
        const refreshToken = newRefreshToken()
        yield* repo.createSession({
          id: sessionId,
          userId: user.id,
          userAgent: userAgent?.slice(0, maxUserAgent) ?? null,
          ttlSeconds: config.refreshTtlSeconds,
          tokenId: randomUUID(),
          tokenHash: hashRefreshToken(refreshToken)
        })
        yield* Effect.annotateCurrentSpan({ "user.id": user.id, "session.id": sessionId })
        return yield* issue(user, sessionId, refreshToken)
      })

    const signup = Effect.fn("Accounts.signup")(function*(
      input: { readonly email: string; readonly password: string; readonly displayName: string },
      userAgent?: string
    ) {
      const weak = passwordProblem(input.password, input.email)
      if (weak !== undefined) {
        return yield* new ValidationFailed({
          message: "The request is invalid.",
          details: [new ErrorDetail({ path: "password", message: weak })]
        })
      }
      const passwordHash = yield* hashPassword(input.password, config.scrypt)
      const roles = config.operatorEmails.includes(input.email.toLowerCase()) ? ["operator"] : []
      const inserted = yield* repo.insertUser({
        id: randomUUID(),
        email: input.email,
        displayName: input.displayName,
        passwordHash,
        roles
      })
      if (Option.isNone(inserted)) {
        return yield* new EmailTaken({ message: "An account with this email already exists." })
      }
      return yield* startSession(inserted.value, userAgent)
    })

    const login = Effect.fn("Accounts.login")(function*(
      input: { readonly email: string; readonly password: string },
      userAgent?: string
    ) {
      const found = yield* repo.userByEmail(input.email)
      // Same work and same answer whether the account exists or not.
      const stored = Option.isSome(found) && found.value.passwordHash !== null ? found.value.passwordHash : yield* dummyHash
      const matches = yield* verifyPassword(input.password, stored)
      if (Option.isNone(found) || !matches) return yield* invalidCredentials()
      const user = found.value
      const roles = rolesOf(user)
      if (roles.join(",") !== user.roles.join(",")) yield* repo.setRoles(user.id, roles)
      return yield* startSession({ ...user, roles }, userAgent)
    })

    const refresh = Effect.fn("Accounts.refresh")(function*(presented: string | undefined) {
      if (presented === undefined || presented === "") {
        return yield* new Unauthorized({ message: "No refresh token: send it in the body or the cookie." })
      }
      const presentedHash = hashRefreshToken(presented)
      const next = newRefreshToken()
      const rotated = yield* repo.rotate(presentedHash, { tokenId: randomUUID(), tokenHash: hashRefreshToken(next) })
      if (Option.isSome(rotated)) {
        const user = yield* repo.userById(rotated.value.userId)
        if (Option.isNone(user)) return yield* sessionEnded()
        yield* Effect.annotateCurrentSpan({ "user.id": rotated.value.userId, "session.id": rotated.value.sessionId })
        return yield* issue(user.value, rotated.value.sessionId, next)
      }
      const why = yield* repo.lookup(presentedHash)
      if (why._tag === "Rotated") {
        yield* repo.revokeSession(why.sessionId, "reuse")
        // After the commit: a verification that starts now reads the session as revoked.
        yield* cache.revoke({ _tag: "Session", sessionId: why.sessionId })
        yield* Effect.logWarning("Refresh token reused: session revoked").pipe(
          Effect.annotateLogs({ "session.id": why.sessionId })
        )
        return yield* new RefreshReused({
          message: "This refresh token was already used; the session has been signed out everywhere it was used. Sign in again."
        })
      }
      return yield* why._tag === "Unknown"
        ? new Unauthorized({ message: "The refresh token is not valid; sign in again." })
        : sessionEnded()
    })

    /** Ends the session of this refresh token; unknown or already-ended tokens are fine too (idempotent). */
    const logout = Effect.fn("Accounts.logout")(function*(presented: string | undefined) {
      if (presented === undefined || presented === "") return
      const revoked = yield* repo.revokeByToken(hashRefreshToken(presented))
      if (Option.isSome(revoked)) {
        yield* Effect.annotateCurrentSpan("session.id", revoked.value)
        yield* cache.revoke({ _tag: "Session", sessionId: revoked.value })
      }
    })

    const loadProfile = (userId: string) =>
      Effect.flatMap(repo.userById(userId), (user) =>
        Option.isSome(user) ? Effect.succeed(toAuthUser(user.value)) : Effect.fail(sessionEnded()))

    /** The profile `/me` answers, kept a short while by the token cache. */
    const me = (userId: string) => cache.profile(userId, loadProfile)

    /** A local access token: our signature, and a session that is still live. */
    const verifyLocal = (token: string): Effect.Effect<Verified, VerifyError> =>
      Effect.flatMap(verifyAccessToken(config.jwtKey, token), (verified) => {
        if (Either.isLeft(verified)) {
          return Effect.fail(verified.left === "expired" ? expiredAccessToken() : invalidAccessToken())
        }
        const claims = verified.right
        return Effect.flatMap(repo.sessionActive(claims.sid), (active) =>
          active
            ? Effect.succeed({
              user: { id: UserId.make(claims.sub), sessionId: claims.sid, roles: claims.roles },
              expiresAtMs: claims.exp * 1000
            })
            : Effect.fail(sessionEnded()))
      })

    /** The user row of a Supabase user, created on first sight; never a local account's row. */
    const supabaseUser = (claims: SupabaseClaims) =>
      Effect.flatMap(
        repo.ensureSupabaseUser({
          id: claims.sub,
          email: storableEmail(claims.email),
          displayName: displayNameOf(claims),
          roles: claims.email !== undefined && config.operatorEmails.includes(claims.email.toLowerCase()) ? ["operator"] : []
        }),
        (row) =>
          Option.isSome(row) && row.value.provider === "supabase" ? Effect.succeed(row.value) : Effect.fail(invalidAccessToken())
      )

    const verifySupabase = (verifier: NonNullable<typeof supabase>) => (token: string): Effect.Effect<Verified, VerifyError> =>
      Effect.flatMap(verifier.verify(token), (verified): Effect.Effect<Verified, VerifyError> => {
        if (Either.isLeft(verified)) {
          switch (verified.left) {
            case "expired":
              return Effect.fail(expiredAccessToken())
            case "unavailable":
              return Effect.fail(
                new ServiceUnavailable({ message: "Sign-in tokens cannot be checked right now; try again shortly." })
              )
            default:
              return Effect.fail(invalidAccessToken())
          }
        }
        const claims = verified.right
        return Effect.map(supabaseUser(claims), (row) => ({
          user: { id: UserId.make(row.id), sessionId: claims.session_id ?? "", roles: rolesOf(row) },
          expiresAtMs: claims.exp * 1000
        }))
      })

    const supabaseVerify = supabase === undefined ? undefined : verifySupabase(supabase)

    /** A token the cache does not know: Supabase's when it names the project as issuer, else ours. */
    const verify = (token: string): Effect.Effect<Verified, VerifyError> =>
      Effect.withSpan(
        supabaseVerify !== undefined && claimedIssuer(token) === supabase?.issuer ? supabaseVerify(token) : verifyLocal(token),
        "Accounts.verify"
      )

    /**
     * A bearer access token → who it is. From the cache when this token was verified before;
     * logout and refresh reuse evict it at once, on every instance. Only a verification is a
     * span (`Accounts.verify`): a span on every cache hit would cost more than the hit.
     */
    /** `connection`: the request's socket where the caller has it (TokenCache's per-connection key memo). */
    const authenticate = (token: string, connection?: object): Effect.Effect<AuthenticatedUser, VerifyError> =>
      token === "" ? Effect.fail(signInFirst()) : cache.authenticate(token, verify, connection)

    const requireOperator = (user: AuthenticatedUser) =>
      user.roles.includes("operator")
        ? Effect.void
        : Effect.fail(new Forbidden({ message: "Only operators may see or change the token cache." }))

    /** Aggregate counters of the token cache; operators only. */
    const cacheStats = (user: AuthenticatedUser) => Effect.zipRight(requireOperator(user), cache.stats)

    /** Forgets every verified token, here and on every instance; operators only. */
    const invalidateCache = Effect.fn("Accounts.invalidateCache")(function*(user: AuthenticatedUser) {
      yield* requireOperator(user)
      const evicted = yield* cache.invalidateAll
      yield* Effect.logInfo("Token cache invalidated by an operator").pipe(
        Effect.annotateLogs({ "user.id": user.id, evicted })
      )
      return evicted
    })

    return {
      signup,
      login,
      refresh,
      logout,
      me,
      authenticate,
      cacheStats,
      invalidateCache,
      refreshTtlSeconds: config.refreshTtlSeconds
    } as const
  }),
  dependencies: [AuthRepo.Default]
}) {}
