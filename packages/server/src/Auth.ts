import {
  AuthUser,
  EmailTaken,
  ErrorDetail,
  InvalidCredentials,
  passwordProblem,
  RefreshReused,
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
import { hashRefreshToken, newRefreshToken, signAccessToken, verifyAccessToken } from "./Auth/Tokens.js"

/**
 * Local accounts (the embedded default): sign-up, sign-in, rotating refresh tokens with
 * reuse detection, logout of one session, and verification of access tokens for the
 * `Authentication` middleware. The HTTP side is `Auth/Http.ts`; the cookie is set there.
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

export class AuthConfig extends Context.Tag("Auth/Config")<AuthConfig, AuthConfigShape>() {
  /** `AUTH_JWT_SECRET` (≥ 32 characters) or the key file under `DATA_DIR`; `OPERATOR_EMAILS`. */
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
        scrypt: owaspScrypt
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

const maxUserAgent = 512

export class Accounts extends Effect.Service<Accounts>()("Auth/Accounts", {
  effect: Effect.gen(function*() {
    const config = yield* AuthConfig
    const repo = yield* AuthRepo

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
      const stored = Option.isSome(found) ? found.value.passwordHash : yield* dummyHash
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
      if (Option.isSome(revoked)) yield* Effect.annotateCurrentSpan("session.id", revoked.value)
    })

    const me = Effect.fn("Accounts.me")(function*(userId: string) {
      const user = yield* repo.userById(userId)
      if (Option.isNone(user)) return yield* sessionEnded()
      return toAuthUser(user.value)
    })

    /** A bearer access token → who it is; the session must still be live (logout ends it at once). */
    const authenticate = Effect.fn("Accounts.authenticate")(function*(token: string) {
      if (token === "") return yield* new Unauthorized({ message: "Sign in first: send `Authorization: Bearer <access token>`." })
      const verified = yield* verifyAccessToken(config.jwtKey, token)
      if (Either.isLeft(verified)) {
        return yield* verified.left === "expired"
          ? new TokenExpired({ message: "The access token has expired; refresh it." })
          : new Unauthorized({ message: "The access token is not valid; sign in again." })
      }
      const claims = verified.right
      if (!(yield* repo.sessionActive(claims.sid))) return yield* sessionEnded()
      return { id: UserId.make(claims.sub), sessionId: claims.sid, roles: claims.roles } satisfies AuthenticatedUser
    })

    return { signup, login, refresh, logout, me, authenticate, refreshTtlSeconds: config.refreshTtlSeconds } as const
  }),
  dependencies: [AuthRepo.Default]
}) {}
