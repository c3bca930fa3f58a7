import { Effect, Option, Schema } from "effect"
import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto"

/**
 * The public keys a Supabase project signs its access tokens with, fetched from its JWKS
 * endpoint and kept. A token naming a key id we do not have triggers one refetch, at most once
 * per cooldown (so a stream of forged key ids costs one request per cooldown, not one each);
 * keys older than `maxAgeMs` are refetched on their next use, so a key the project withdrew
 * stops being trusted. A failed fetch keeps the keys we had.
 */

export type AsymmetricAlg = "ES256" | "RS256"

export interface SigningKey {
  readonly alg: AsymmetricAlg
  readonly key: KeyObject
}

export interface JwksSettings {
  readonly url: string
  readonly cooldownMs: number
  readonly maxAgeMs: number
  readonly timeoutMs: number
}

/** The key for a token's `kid`, or why there is none. */
export type KeyLookup =
  | { readonly _tag: "Found"; readonly key: SigningKey }
  | { readonly _tag: "Unknown" }
  /** No key for this id, and the last attempt to fetch the set failed: we cannot tell. */
  | { readonly _tag: "Unavailable" }

const Jwk = Schema.Struct({
  kty: Schema.String,
  kid: Schema.String,
  alg: Schema.optional(Schema.String),
  use: Schema.optional(Schema.String),
  crv: Schema.optional(Schema.String)
})
const JwkSet = Schema.Struct({ keys: Schema.Array(Schema.Unknown) })
const decodeSet = Schema.decodeUnknownEither(Schema.parseJson(JwkSet))
const decodeJwk = Schema.decodeUnknownOption(Jwk)

/** Largest JWKS document read: a project has a handful of keys. */
const maxBytes = 64 * 1024

/**
 * Which algorithm a JWK is for, from its own `alg` or its type and curve. The pairing is what
 * stops key confusion: an ES256 token is only ever checked with a P-256 key, an RS256 one with RSA.
 */
const algOf = (jwk: typeof Jwk.Type): AsymmetricAlg | undefined => {
  if (jwk.use !== undefined && jwk.use !== "sig") return undefined
  const implied = jwk.kty === "EC" && jwk.crv === "P-256" ? "ES256" : jwk.kty === "RSA" ? "RS256" : undefined
  if (implied === undefined) return undefined
  return jwk.alg === undefined || jwk.alg === implied ? implied : undefined
}

/** The usable signing keys of a JWKS document, by key id; other keys are skipped. */
export const parseJwks = (text: string): Map<string, SigningKey> | undefined => {
  const set = decodeSet(text)
  if (set._tag === "Left") return undefined
  const keys = new Map<string, SigningKey>()
  for (const raw of set.right.keys) {
    const jwk = decodeJwk(raw)
    if (Option.isNone(jwk)) continue
    const alg = algOf(jwk.value)
    if (alg === undefined) continue
    try {
      keys.set(jwk.value.kid, { alg, key: createPublicKey({ key: raw as JsonWebKey, format: "jwk" }) })
    } catch {
      // A malformed key is skipped; the others still serve.
    }
  }
  return keys
}

const fetchText = (url: string, timeoutMs: number) =>
  Effect.tryPromise({
    try: async (signal) => {
      const response = await fetch(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      const text = await response.text()
      if (text.length > maxBytes) throw new Error(`larger than ${maxBytes} bytes`)
      return text
    },
    catch: (cause) => cause instanceof Error ? cause : new Error(String(cause))
  })

export const makeJwks = (settings: JwksSettings) =>
  Effect.gen(function*() {
    const clock = yield* Effect.clock
    const lock = yield* Effect.makeSemaphore(1)
    let keys = new Map<string, SigningKey>()
    let fetchedAtMs = Number.NEGATIVE_INFINITY
    let attemptedAtMs = Number.NEGATIVE_INFINITY
    let lastFailed = false

    const refetch = Effect.gen(function*() {
      attemptedAtMs = clock.unsafeCurrentTimeMillis()
      const fetched = yield* fetchText(settings.url, settings.timeoutMs).pipe(
        Effect.map(parseJwks),
        Effect.flatMap((parsed) => parsed === undefined ? Effect.fail(new Error("not a JWK set")) : Effect.succeed(parsed)),
        Effect.either
      )
      if (fetched._tag === "Right") {
        keys = fetched.right
        fetchedAtMs = clock.unsafeCurrentTimeMillis()
        lastFailed = false
        yield* Effect.logDebug("Supabase JWKS fetched").pipe(Effect.annotateLogs({ keys: keys.size }))
      } else {
        lastFailed = true
        yield* Effect.logWarning(`Supabase JWKS could not be fetched from ${settings.url}: ${fetched.left.message}`)
      }
    })

    const fresh = (kid: string) =>
      keys.has(kid) && clock.unsafeCurrentTimeMillis() - fetchedAtMs < settings.maxAgeMs

    const found = (kid: string): KeyLookup => {
      const key = keys.get(kid)
      if (key !== undefined) return { _tag: "Found", key }
      return lastFailed ? { _tag: "Unavailable" } : { _tag: "Unknown" }
    }

    /** The key for `kid`, refetching the set when it is unknown or old and the cooldown allows. */
    const keyFor = (kid: string): Effect.Effect<KeyLookup> =>
      Effect.suspend(() => {
        if (fresh(kid)) return Effect.succeed(found(kid))
        // One fetch at a time; whoever waited finds the result of the one before.
        return lock.withPermits(1)(Effect.gen(function*() {
          if (!fresh(kid) && clock.unsafeCurrentTimeMillis() - attemptedAtMs >= settings.cooldownMs) yield* refetch
          return found(kid)
        }))
      })

    return { keyFor } as const
  })
