import { Clock, Config, Effect, Either, Option, Redacted, Schema } from "effect"
import { createHmac, timingSafeEqual, verify as verifySignature } from "node:crypto"
import { type AccessTokenProblem, splitToken } from "./Tokens.js"
import { makeJwks } from "./Jwks.js"

/**
 * Supabase Auth access tokens, checked the way Supabase recommends for servers: locally,
 * against the project's published keys (ES256 or RS256, from
 * `<SUPABASE_URL>/auth/v1/.well-known/jwks.json`), or with the project's legacy HS256 secret
 * when one is configured. A token passes when its signature is good, its issuer is the
 * project's (`<SUPABASE_URL>/auth/v1`), its audience includes ours (`authenticated` by
 * default), its role is `authenticated` (not `anon`, not `service_role`) and it has not
 * expired. The user id is `sub`.
 */

export interface SupabaseSettings {
  /** The project URL, without a trailing slash: `https://<ref>.supabase.co`. */
  readonly url: string
  /** The legacy HS256 JWT secret, when the project still signs with it. */
  readonly jwtSecret: Option.Option<Redacted.Redacted<Uint8Array>>
  readonly audience: string
  /** Least time between two JWKS fetches caused by unknown key ids. */
  readonly jwksCooldownMs: number
  /** Keys older than this are refetched on next use. */
  readonly jwksMaxAgeMs: number
}

export const supabaseIssuer = (settings: Pick<SupabaseSettings, "url">) => `${settings.url}/auth/v1`
export const supabaseJwksUrl = (settings: Pick<SupabaseSettings, "url">) => `${settings.url}/auth/v1/.well-known/jwks.json`

/** `SUPABASE_URL` (turns Supabase mode on), `SUPABASE_JWT_SECRET`, `SUPABASE_JWT_AUDIENCE`. */
export const supabaseConfig: Config.Config<Option.Option<SupabaseSettings>> = Config.all({
  // Validated before `Config.nested`, so that the error names the variable.
  url: Config.option(
    Config.url().pipe(
      Config.validate({
        message: "Expected the project URL, like https://<ref>.supabase.co",
        validation: (url) => (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === ""
      }),
      Config.nested("SUPABASE_URL"),
      Config.map((url) => url.toString().replace(/\/+$/, ""))
    )
  ),
  jwtSecret: Config.option(Config.redacted("SUPABASE_JWT_SECRET")).pipe(
    Config.map(Option.filter((secret) => Redacted.value(secret).trim() !== ""))
  ),
  audience: Config.string("SUPABASE_JWT_AUDIENCE").pipe(Config.withDefault("authenticated"))
}).pipe(
  Config.map(({ audience, jwtSecret, url }) =>
    Option.map(url, (url): SupabaseSettings => ({
      url,
      jwtSecret: Option.map(jwtSecret, (secret) => Redacted.make(Buffer.from(Redacted.value(secret), "utf8") as Uint8Array)),
      audience,
      jwksCooldownMs: 30_000,
      jwksMaxAgeMs: 10 * 60_000
    }))
  )
)

const Header = Schema.Struct({
  alg: Schema.Literal("ES256", "RS256", "HS256"),
  kid: Schema.optional(Schema.String),
  typ: Schema.optional(Schema.String)
})

export const SupabaseClaims = Schema.Struct({
  iss: Schema.String,
  sub: Schema.UUID,
  aud: Schema.Union(Schema.String, Schema.Array(Schema.String)),
  role: Schema.String,
  exp: Schema.Int,
  iat: Schema.optional(Schema.Int),
  nbf: Schema.optional(Schema.Number),
  email: Schema.optional(Schema.String),
  session_id: Schema.optional(Schema.UUID),
  is_anonymous: Schema.optional(Schema.Boolean),
  user_metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
export type SupabaseClaims = typeof SupabaseClaims.Type

const decodeHeader = Schema.decodeUnknownEither(Schema.parseJson(Header))
const decodeClaims = Schema.decodeUnknownEither(Schema.parseJson(SupabaseClaims))

/** "unavailable": the key set could not be fetched, so the token cannot be judged either way. */
export type SupabaseProblem = AccessTokenProblem | "unavailable"

export const makeSupabaseVerifier = (settings: SupabaseSettings) =>
  Effect.gen(function*() {
    const jwks = yield* makeJwks({
      url: supabaseJwksUrl(settings),
      cooldownMs: settings.jwksCooldownMs,
      maxAgeMs: settings.jwksMaxAgeMs,
      timeoutMs: 5_000
    })
    const issuer = supabaseIssuer(settings)

    const hs256 = (input: string, signature: Buffer) =>
      Option.match(settings.jwtSecret, {
        onNone: () => false,
        onSome: (secret) => {
          const expected = createHmac("sha256", Redacted.value(secret)).update(input).digest()
          return signature.length === expected.length && timingSafeEqual(signature, expected)
        }
      })

    /** Whether the signature is the project's; "unavailable" when the keys cannot be had. */
    const signatureValid = (
      header: typeof Header.Type,
      input: string,
      signature: Buffer
    ): Effect.Effect<boolean | "unavailable"> => {
      if (header.alg === "HS256") return Effect.succeed(hs256(input, signature))
      if (header.kid === undefined) return Effect.succeed(false)
      return Effect.map(jwks.keyFor(header.kid), (lookup) => {
        if (lookup._tag === "Unavailable") return "unavailable"
        if (lookup._tag === "Unknown" || lookup.key.alg !== header.alg) return false
        if (header.alg === "ES256") {
          // JWS carries the raw r‖s pair (64 bytes), not DER.
          return signature.length === 64 &&
            verifySignature("sha256", Buffer.from(input), { key: lookup.key.key, dsaEncoding: "ieee-p1363" }, signature)
        }
        return verifySignature("sha256", Buffer.from(input), lookup.key.key, signature)
      })
    }

    const invalid = Either.left<SupabaseProblem>("invalid")

    /** The claims of a valid token, or why it is refused. Expiry is checked last: only a genuine token is "expired". */
    const verify = (token: string): Effect.Effect<Either.Either<SupabaseClaims, SupabaseProblem>> =>
      Effect.suspend(() => {
        const parts = splitToken(token)
        if (parts === undefined) return Effect.succeed(invalid)
        const header = decodeHeader(Buffer.from(parts.header, "base64url").toString("utf8"))
        if (Either.isLeft(header)) return Effect.succeed(invalid)
        return Effect.flatMap(
          signatureValid(header.right, `${parts.header}.${parts.payload}`, Buffer.from(parts.signature, "base64url")),
          (valid) => {
            if (valid === "unavailable") return Effect.succeed(Either.left<SupabaseProblem>("unavailable"))
            if (!valid) return Effect.succeed(invalid)
            const claims = decodeClaims(Buffer.from(parts.payload, "base64url").toString("utf8"))
            if (Either.isLeft(claims)) return Effect.succeed(invalid)
            const c = claims.right
            const audiences = typeof c.aud === "string" ? [c.aud] : c.aud
            if (c.iss !== issuer || !audiences.includes(settings.audience) || c.role !== "authenticated") {
              return Effect.succeed(invalid)
            }
            return Effect.map(Clock.currentTimeMillis, (now) => {
              if (c.nbf !== undefined && c.nbf * 1000 > now) return invalid
              if (c.exp * 1000 <= now) return Either.left<SupabaseProblem>("expired")
              return Either.right(c)
            })
          }
        )
      })

    return { issuer, verify } as const
  })

/** The issuer a token claims, read without verifying it: which verifier should judge it. */
export const claimedIssuer = (token: string): string | undefined => {
  const parts = splitToken(token)
  if (parts === undefined) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts.payload, "base64url").toString("utf8"))
    return typeof claims === "object" && claims !== null && "iss" in claims && typeof claims.iss === "string"
      ? claims.iss
      : undefined
  } catch {
    return undefined
  }
}

/** A name to show for a Supabase user seen for the first time: their metadata's, else their email's local part. */
export const displayNameOf = (claims: SupabaseClaims): string => {
  const meta = claims.user_metadata ?? {}
  const named = [meta["full_name"], meta["name"], meta["display_name"]].find(
    (value): value is string => typeof value === "string" && value.trim() !== ""
  )
  const fallback = claims.email?.split("@")[0]?.trim()
  const name = named?.trim() ?? (fallback !== undefined && fallback !== "" ? fallback : "Learner")
  return name.slice(0, 80)
}
