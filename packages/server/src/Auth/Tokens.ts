import { Unauthorized } from "@compilar/domain"
import { Clock, Effect, Either, Redacted, Schema } from "effect"
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"

/**
 * Access tokens: compact HS256 JWTs signed with the server's key, 15 minutes by default.
 * Verification accepts exactly `{"alg":"HS256"}` tokens of our issuer and audience (no
 * `alg: none`, no key confusion), compares signatures in constant time and reads the time
 * from the Effect `Clock`, so tests can move it.
 *
 * Refresh tokens: 32 random bytes (base64url), stored only as their SHA-256 digest.
 */

export const issuer = "compilar"
export const audience = "compilar"

export const AccessClaims = Schema.Struct({
  iss: Schema.Literal(issuer),
  aud: Schema.Literal(audience),
  sub: Schema.UUID,
  sid: Schema.UUID,
  roles: Schema.Array(Schema.String),
  iat: Schema.Int,
  exp: Schema.Int
})
export type AccessClaims = typeof AccessClaims.Type

const Header = Schema.Struct({ alg: Schema.Literal("HS256"), typ: Schema.optional(Schema.Literal("JWT")) })

const encodedHeader = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url")

const signature = (key: Redacted.Redacted<Uint8Array>, input: string) =>
  createHmac("sha256", Redacted.value(key)).update(input).digest()

export interface SignedAccess {
  readonly token: string
  /** Epoch milliseconds. */
  readonly expiresAtMs: number
}

export const signAccessToken = (
  key: Redacted.Redacted<Uint8Array>,
  subject: { readonly userId: string; readonly sessionId: string; readonly roles: ReadonlyArray<string> },
  ttlSeconds: number
): Effect.Effect<SignedAccess> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const iat = Math.floor(now / 1000)
    const claims: AccessClaims = {
      iss: issuer,
      aud: audience,
      sub: subject.userId,
      sid: subject.sessionId,
      roles: subject.roles,
      iat,
      exp: iat + ttlSeconds
    }
    return { token: signClaims(key, claims), expiresAtMs: (iat + ttlSeconds) * 1000 }
  })

/** Signs arbitrary claims; exported for tests that need expired or odd tokens. */
export const signClaims = (key: Redacted.Redacted<Uint8Array>, claims: object): string => {
  const input = `${encodedHeader}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`
  return `${input}.${signature(key, input).toString("base64url")}`
}

const decodeHeader = Schema.decodeUnknownEither(Schema.parseJson(Header))
const decodeClaims = Schema.decodeUnknownEither(Schema.parseJson(AccessClaims))
const base64url = /^[A-Za-z0-9_-]+$/

/** The three base64url parts of a compact JWS of at most 4096 characters; undefined for anything else. */
export const splitToken = (token: string) => {
  if (token.length > 4096) return undefined
  const parts = token.split(".")
  if (parts.length !== 3 || !parts.every((part) => base64url.test(part))) return undefined
  const [header, payload, signature] = parts as [string, string, string]
  return { header, payload, signature }
}

export type AccessTokenProblem = "invalid" | "expired"

/** The claims of a valid token, or why it is refused. Expiry is checked last: only a genuine token is "expired". */
export const verifyAccessToken = (
  key: Redacted.Redacted<Uint8Array>,
  token: string
): Effect.Effect<Either.Either<AccessClaims, AccessTokenProblem>> =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const parts = splitToken(token)
    if (parts === undefined) return Either.left("invalid" as const)
    const { header, payload, signature: sig } = parts
    const expected = signature(key, `${header}.${payload}`)
    const given = Buffer.from(sig, "base64url")
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return Either.left("invalid" as const)
    if (Either.isLeft(decodeHeader(Buffer.from(header, "base64url").toString("utf8")))) {
      return Either.left("invalid" as const)
    }
    const claims = decodeClaims(Buffer.from(payload, "base64url").toString("utf8"))
    if (Either.isLeft(claims)) return Either.left("invalid" as const)
    if (claims.right.exp * 1000 <= now) return Either.left("expired" as const)
    return Either.right(claims.right)
  })

export const newRefreshToken = (): string => randomBytes(32).toString("base64url")

/** Hex SHA-256: what the database keeps instead of the token. */
export const hashRefreshToken = (token: string): string => createHash("sha256").update(token).digest("hex")

export const invalidToken = (message = "The access token is not valid; sign in again.") => new Unauthorized({ message })
