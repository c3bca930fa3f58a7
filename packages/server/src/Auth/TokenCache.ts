import type { AuthenticatedUser, AuthUser, ServiceUnavailable, TokenExpired, Unauthorized } from "@compilar/domain"
import { Effect, Stream } from "effect"
import { hash } from "node:crypto"
import { Lru } from "./Lru.js"
import { type RemoteRevocation, type Revocation, RevocationBus } from "./Revocations.js"

/**
 * The verified-token cache: what an access token stands for, remembered so that an
 * authenticated request costs a hash and a map lookup instead of a signature check and a
 * database round trip.
 *
 * - Keyed by the token's SHA-256, never the token itself.
 * - Bounded (least recently used entries leave first, see Lru.ts); an entry never outlives its
 *   token's `exp`.
 * - Refused tokens are remembered for a few seconds (a client retrying a bad token, or a flood
 *   of garbage, costs one verification per few seconds), in a separate, smaller table so that
 *   garbage cannot push valid entries out. Expired tokens are not remembered: expiry is a
 *   comparison, and a clock check is all a repeat costs.
 * - Revocation: logout and refresh reuse end a session, an operator can empty the cache. This
 *   instance forgets first (so its very next request is refused), then tells the others through
 *   the `RevocationBus`; what the others publish arrives on `remote` and is forgotten the same way.
 *   When the bus says revocations were missed (cut off from Redis for a while), everything is
 *   forgotten: which tokens the lost messages named is unknowable, and re-verifying costs one
 *   database read per token.
 * - A verification that was running while a revocation happened is not stored (a generation
 *   counter): it may have read the session just before the revocation was committed.
 *
 * It also keeps the profile `/me` answers, per user, for a short while (`profileTtlSeconds`),
 * forgotten with the user's revocation.
 */

export interface TokenCacheSettings {
  /** Verified tokens kept at most. */
  readonly capacity: number
  /** How long a refused token is remembered. */
  readonly negativeTtlSeconds: number
  /** How long a user's profile (what `/me` answers) is kept. */
  readonly profileTtlSeconds: number
}

export const defaultTokenCacheSettings: TokenCacheSettings = {
  capacity: 10_000,
  negativeTtlSeconds: 5,
  profileTtlSeconds: 60
}

/** A successful verification: who, and until when (the token's `exp`, in epoch milliseconds). */
export interface Verified {
  readonly user: AuthenticatedUser
  readonly expiresAtMs: number
}

export type VerifyError = Unauthorized | TokenExpired | ServiceUnavailable

/** Aggregate counters only: nothing here names a user, a session or a token. */
export interface CacheStats {
  /** Verified tokens held now. */
  readonly size: number
  readonly capacity: number
  /** Requests answered from the cache (valid and refused tokens alike). */
  readonly hits: number
  /** Requests that had to verify the token. */
  readonly misses: number
  /** hits / (hits + misses); 0 before the first request. */
  readonly hitRate: number
  /** Verified tokens dropped to make room (the cache was full). */
  readonly evictions: number
  /** Verified tokens dropped because their session or user was revoked, or the cache was invalidated. */
  readonly revocations: number
}

export interface TokenCache {
  /**
   * Who the token stands for: from the cache, or from `verify` (whose answer is then kept).
   * `connection` (the request's socket, when known) lets a client that sends the same token
   * on one keep-alive connection skip re-hashing it: see `keyOn`.
   */
  readonly authenticate: (
    token: string,
    verify: (token: string) => Effect.Effect<Verified, VerifyError>,
    connection?: object
  ) => Effect.Effect<AuthenticatedUser, VerifyError>
  /** The profile of a user, from the cache or from `load`. */
  readonly profile: <E>(userId: string, load: (userId: string) => Effect.Effect<AuthUser, E>) => Effect.Effect<AuthUser, E>
  /** Forgets here, then tells the other instances. */
  readonly revoke: (revocation: Revocation) => Effect.Effect<void>
  /** Forgets everything here and on the other instances; how many verified tokens were dropped here. */
  readonly invalidateAll: Effect.Effect<number>
  readonly stats: Effect.Effect<CacheStats>
}

/** Longer tokens are refused by every verifier: no point hashing or remembering them. */
export const maxTokenLength = 4096

/** The cache key: base64 SHA-256 of the token. */
export const tokenKey = (token: string): string => hash("sha256", token, "base64")

/**
 * The key of a token sent on a connection, remembered for that connection: per keep-alive
 * connection, the last token seen on it and its key. A client sends the same token request after
 * request, and one SHA-256 per request cost /me about a tenth of its throughput (`pnpm bench`,
 * README, Performance) though it is half a microsecond of CPU in a loop. A different token on
 * the connection is hashed (and remembered) as usual. The memo only maps a token to its key: it
 * decides nothing, so revocation, expiry and refusal work on the key as before. It holds one
 * token per open connection, the one that connection itself presented, and lets go of it with
 * the socket (a WeakMap). Behind a proxy that pools its upstream connections, several users'
 * tokens alternate on one connection: each is then hashed as if there were no memo.
 */
export const makeConnectionKeys = () => {
  const last = new WeakMap<object, { readonly token: string; readonly key: string }>()
  return (token: string, connection: object | undefined): string => {
    if (connection === undefined) return tokenKey(token)
    const known = last.get(connection)
    if (known !== undefined && known.token === token) return known.key
    const key = tokenKey(token)
    last.set(connection, { token, key })
    return key
  }
}

const addTo = (index: Map<string, Set<string>>, id: string, key: string) => {
  const keys = index.get(id)
  if (keys === undefined) index.set(id, new Set([key]))
  else keys.add(key)
}

const removeFrom = (index: Map<string, Set<string>>, id: string, key: string) => {
  const keys = index.get(id)
  if (keys === undefined) return
  keys.delete(key)
  if (keys.size === 0) index.delete(id)
}

/**
 * A cache for one instance, listening to the others through the `RevocationBus` for as long
 * as the scope lasts.
 */
export const makeTokenCache = (settings: TokenCacheSettings) =>
  Effect.gen(function*() {
    const bus = yield* RevocationBus
    const clock = yield* Effect.clock
    const now = () => clock.unsafeCurrentTimeMillis()

    let hits = 0
    let misses = 0
    let evictions = 0
    let revocations = 0
    /** Bumped by every revocation; a verification that saw another value is not stored. */
    let generation = 0

    const bySession = new Map<string, Set<string>>()
    const byUser = new Map<string, Set<string>>()

    const unindex = (key: string, user: AuthenticatedUser) => {
      if (user.sessionId !== "") removeFrom(bySession, user.sessionId, key)
      removeFrom(byUser, user.id, key)
    }

    const verified = new Lru<string, AuthenticatedUser>(settings.capacity, (key, user, reason) => {
      unindex(key, user)
      if (reason === "capacity") evictions++
    })
    const refused = new Lru<string, Unauthorized>(Math.max(16, Math.ceil(settings.capacity / 8)))
    const profiles = new Lru<string, AuthUser>(settings.capacity)

    const store = (key: string, entry: Verified) => {
      verified.set(key, entry.user, entry.expiresAtMs)
      if (entry.user.sessionId !== "") addTo(bySession, entry.user.sessionId, key)
      addTo(byUser, entry.user.id, key)
    }

    const forget = (keys: Set<string> | undefined) => {
      if (keys === undefined) return
      for (const key of [...keys]) {
        const user = verified.delete(key)
        if (user !== undefined) {
          unindex(key, user)
          revocations++
        }
      }
    }

    /** Synchronous, so nothing can run between a revocation and its effect on this instance. */
    const applyLocally = (revocation: Revocation): number => {
      generation++
      const before = revocations
      switch (revocation._tag) {
        case "Session":
          forget(bySession.get(revocation.sessionId))
          break
        case "User":
          forget(byUser.get(revocation.userId))
          profiles.delete(revocation.userId)
          break
        case "All": {
          const dropped = verified.clear()
          revocations += dropped
          bySession.clear()
          byUser.clear()
          refused.clear()
          profiles.clear()
          break
        }
      }
      return revocations - before
    }

    /** Another instance's revocation; after missed ones, everything (one log line each time). */
    const fromRemote = (event: RemoteRevocation) =>
      Effect.suspend(() => {
        if (event._tag !== "Missed") {
          applyLocally(event)
          return Effect.void
        }
        const dropped = applyLocally({ _tag: "All" })
        return Effect.logInfo(
          "Token cache: back in touch with the other instances after revocations from them may have been lost; " +
            `forgot every verified token (${dropped})`
        )
      })

    yield* bus.remote.pipe(
      Stream.runForEach(fromRemote),
      Effect.zipRight(Effect.logWarning("Token cache: the revocation stream ended; other instances' revocations no longer arrive")),
      Effect.forkScoped
    )

    const negativeTtlMs = settings.negativeTtlSeconds * 1000
    const profileTtlMs = settings.profileTtlSeconds * 1000

    const keyOn = makeConnectionKeys()

    const authenticate: TokenCache["authenticate"] = (token, verify, connection) => {
      if (token.length > maxTokenLength) return Effect.map(verify(token), (entry) => entry.user)
      const key = keyOn(token, connection)
      const at = now()
      const user = verified.get(key, at)
      if (user !== undefined) {
        hits++
        return Effect.succeed(user)
      }
      const refusal = refused.get(key, at)
      if (refusal !== undefined) {
        hits++
        return Effect.fail(refusal)
      }
      misses++
      const seen = generation
      return verify(token).pipe(
        Effect.map((entry) => {
          if (generation === seen) store(key, entry)
          return entry.user
        }),
        Effect.tapError((error) =>
          Effect.sync(() => {
            // Only a definite "no": expiry is deterministic, unavailability is transient.
            if (error._tag === "Unauthorized") refused.set(key, error, now() + negativeTtlMs)
          })
        )
      )
    }

    const profile: TokenCache["profile"] = (userId, load) => {
      const cached = profiles.get(userId, now())
      if (cached !== undefined) return Effect.succeed(cached)
      const seen = generation
      return Effect.tap(load(userId), (loaded) =>
        Effect.sync(() => {
          if (generation === seen) profiles.set(userId, loaded, now() + profileTtlMs)
        }))
    }

    const revoke = (revocation: Revocation) =>
      Effect.suspend(() => {
        applyLocally(revocation)
        return bus.publish(revocation)
      })

    const invalidateAll = Effect.suspend(() => {
      const dropped = applyLocally({ _tag: "All" })
      return Effect.as(bus.publish({ _tag: "All" }), dropped)
    })

    const stats = Effect.sync((): CacheStats => {
      verified.sweep(now())
      const lookups = hits + misses
      return {
        size: verified.size,
        capacity: verified.capacity,
        hits,
        misses,
        hitRate: lookups === 0 ? 0 : hits / lookups,
        evictions,
        revocations
      }
    })

    return { authenticate, profile, revoke, invalidateAll, stats } satisfies TokenCache
  })
