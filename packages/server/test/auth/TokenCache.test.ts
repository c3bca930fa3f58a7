import { AuthUser, ServiceUnavailable, TokenExpired, Unauthorized, UserId } from "@compilar/domain"
import type { AuthenticatedUser } from "@compilar/domain"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, Layer, Logger, PubSub, Stream, TestClock } from "effect"
import { type RemoteRevocation, RevocationBus } from "../../src/Auth/Revocations.js"
import {
  makeConnectionKeys,
  makeTokenCache,
  tokenKey,
  type TokenCacheSettings,
  type Verified,
  type VerifyError
} from "../../src/Auth/TokenCache.js"

const settings: TokenCacheSettings = { capacity: 100, negativeTtlSeconds: 5, profileTtlSeconds: 60 }

const userA = "7d1f6a52-4a0e-4b59-8a0b-6a1c9e0f1a01"
const userB = "7d1f6a52-4a0e-4b59-8a0b-6a1c9e0f1a02"
const session1 = "0c7e1d2a-9b3f-4c5d-8e6f-7a8b9c0d1e01"
const session2 = "0c7e1d2a-9b3f-4c5d-8e6f-7a8b9c0d1e02"

const who = (userId: string, sessionId: string): AuthenticatedUser => ({ id: UserId.make(userId), sessionId, roles: [] })

/**
 * A stand-in verifier: answers from a table of token → outcome, counting its calls, so a test
 * sees exactly when the cache verified and when it answered alone. Valid entries expire
 * `ttlMs` after "now" by default.
 */
const verifier = (table: Record<string, AuthenticatedUser | VerifyError>, ttlMs = 900_000) => {
  const calls: Array<string> = []
  const verify = (token: string): Effect.Effect<Verified, VerifyError> =>
    Effect.suspend(() => {
      calls.push(token)
      const outcome = table[token]
      if (outcome === undefined) return Effect.fail(new Unauthorized({ message: "unknown token" }))
      if ("_tag" in outcome) return Effect.fail(outcome)
      return Effect.map(Effect.clockWith((clock) => clock.currentTimeMillis), (now) => ({
        user: outcome,
        expiresAtMs: now + ttlMs
      }))
    })
  return { calls, verify }
}

const withCache = <A, E>(
  use: (cache: Effect.Effect.Success<ReturnType<typeof makeTokenCache>>) => Effect.Effect<A, E>,
  options: { readonly settings?: TokenCacheSettings; readonly bus?: Layer.Layer<RevocationBus> } = {}
) =>
  Effect.scoped(
    Effect.flatMap(makeTokenCache(options.settings ?? settings), use).pipe(
      Effect.provide(options.bus ?? RevocationBus.local)
    )
  )

describe("TokenCache", () => {
  it.effect("verifies a token once, then answers from the cache; counts hits and misses", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({ t1: who(userA, session1) })
        expect(yield* cache.stats).toEqual({
          size: 0,
          capacity: 100,
          hits: 0,
          misses: 0,
          hitRate: 0,
          evictions: 0,
          revocations: 0
        })
        for (let i = 0; i < 4; i++) expect((yield* cache.authenticate("t1", v.verify)).id).toBe(userA)
        expect(v.calls).toEqual(["t1"])
        expect(yield* cache.stats).toMatchObject({ size: 1, hits: 3, misses: 1, hitRate: 0.75 })
      })
    ))

  it.effect("an entry never outlives its token's exp: the next request verifies again", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({ t1: who(userA, session1) }, 60_000)
        yield* cache.authenticate("t1", v.verify)
        yield* TestClock.adjust(Duration.millis(59_999))
        yield* cache.authenticate("t1", v.verify)
        expect(v.calls).toHaveLength(1)
        yield* TestClock.adjust(Duration.millis(1))
        yield* cache.authenticate("t1", v.verify)
        expect(v.calls).toHaveLength(2)
        expect((yield* cache.stats).evictions).toBe(0) // expiry is not an eviction
      })
    ))

  it.effect("at capacity the least recently used token leaves first", () =>
    withCache(
      (cache) =>
        Effect.gen(function*() {
          const v = verifier({ a: who(userA, session1), b: who(userA, session2), c: who(userB, session1) })
          yield* cache.authenticate("a", v.verify)
          yield* cache.authenticate("b", v.verify)
          yield* cache.authenticate("a", v.verify) // a is now the most recently used
          yield* cache.authenticate("c", v.verify) // full: b leaves
          expect(yield* cache.stats).toMatchObject({ size: 2, evictions: 1 })
          v.calls.length = 0
          yield* cache.authenticate("a", v.verify)
          yield* cache.authenticate("c", v.verify)
          expect(v.calls).toEqual([])
          yield* cache.authenticate("b", v.verify)
          expect(v.calls).toEqual(["b"])
        }),
      { settings: { ...settings, capacity: 2 } }
    ))

  it.effect("a refused token is remembered for a few seconds; expired and unavailable ones are not", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({
          expired: new TokenExpired({ message: "expired" }),
          later: new ServiceUnavailable({ message: "keys unavailable" })
        })
        const first = yield* Effect.flip(cache.authenticate("forged", v.verify))
        const again = yield* Effect.flip(cache.authenticate("forged", v.verify))
        expect(first._tag).toBe("Unauthorized")
        expect(again).toBe(first)
        expect(v.calls).toEqual(["forged"])
        yield* TestClock.adjust(Duration.seconds(5))
        yield* Effect.flip(cache.authenticate("forged", v.verify))
        expect(v.calls).toEqual(["forged", "forged"])

        for (const token of ["expired", "expired", "later", "later"]) yield* Effect.flip(cache.authenticate(token, v.verify))
        expect(v.calls.slice(2)).toEqual(["expired", "expired", "later", "later"])
        expect((yield* cache.stats).size).toBe(0)
      })
    ))

  it.effect("revoking a session forgets its tokens at once and leaves the others", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({ laptop: who(userA, session1), laptop2: who(userA, session1), phone: who(userA, session2) })
        for (const token of ["laptop", "laptop2", "phone"]) yield* cache.authenticate(token, v.verify)
        yield* cache.revoke({ _tag: "Session", sessionId: session1 })
        expect(yield* cache.stats).toMatchObject({ size: 1, revocations: 2 })
        v.calls.length = 0
        yield* cache.authenticate("phone", v.verify)
        expect(v.calls).toEqual([])
        yield* cache.authenticate("laptop", v.verify)
        expect(v.calls).toEqual(["laptop"])
      })
    ))

  it("a connection's remembered key is the token's own key, for whichever token the connection sends now", () => {
    const keyOn = makeConnectionKeys()
    const connection = {}
    const other = {}
    expect(keyOn("t1", connection)).toBe(tokenKey("t1"))
    expect(keyOn("t1", connection)).toBe(tokenKey("t1"))
    // Another token on the same connection (a refresh, another account) is never given t1's key.
    expect(keyOn("t2", connection)).toBe(tokenKey("t2"))
    expect(keyOn("t1", other)).toBe(tokenKey("t1"))
    expect(keyOn("t2", connection)).toBe(tokenKey("t2"))
    expect(keyOn("t1", undefined)).toBe(tokenKey("t1"))
    expect(tokenKey("t1")).not.toBe(tokenKey("t2"))
  })

  it.effect("on one connection: each token answers for its own user, and a revoked one is refused", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({ a: who(userA, session1), b: who(userB, session2) })
        const connection = {}
        expect((yield* cache.authenticate("a", v.verify, connection)).id).toBe(userA)
        expect((yield* cache.authenticate("b", v.verify, connection)).id).toBe(userB)
        expect((yield* cache.authenticate("a", v.verify, connection)).id).toBe(userA)
        expect(v.calls).toEqual(["a", "b"])
        yield* cache.revoke({ _tag: "Session", sessionId: session1 })
        v.calls.length = 0
        // Verified again (the stand-in still accepts it; the real verifier finds the session ended).
        yield* cache.authenticate("a", v.verify, connection)
        expect(v.calls).toEqual(["a"])
      })
    ))

  it.effect("revoking a user forgets every session's tokens and the profile; invalidating forgets everything", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const v = verifier({ a1: who(userA, session1), a2: who(userA, session2), b1: who(userB, "") })
        for (const token of ["a1", "a2", "b1"]) yield* cache.authenticate(token, v.verify)
        let loads = 0
        const load = (id: string) =>
          Effect.sync(() => {
            loads++
            return new AuthUser({ id: UserId.make(id), email: "a@example.com", displayName: "A", roles: [] })
          })
        yield* cache.profile(userA, load)
        yield* cache.profile(userA, load)
        expect(loads).toBe(1)

        yield* cache.revoke({ _tag: "User", userId: userA })
        expect(yield* cache.stats).toMatchObject({ size: 1, revocations: 2 })
        yield* cache.profile(userA, load)
        expect(loads).toBe(2)

        expect(yield* cache.invalidateAll).toBe(1)
        expect(yield* cache.stats).toMatchObject({ size: 0, revocations: 3 })
        v.calls.length = 0
        yield* cache.authenticate("b1", v.verify)
        expect(v.calls).toEqual(["b1"])
      })
    ))

  it.effect("profiles are kept for profileTtlSeconds", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        let loads = 0
        const load = (id: string) =>
          Effect.sync(() => {
            loads++
            return new AuthUser({ id: UserId.make(id), email: "a@example.com", displayName: `A${loads}`, roles: [] })
          })
        expect((yield* cache.profile(userA, load)).displayName).toBe("A1")
        yield* TestClock.adjust(Duration.seconds(59))
        expect((yield* cache.profile(userA, load)).displayName).toBe("A1")
        yield* TestClock.adjust(Duration.seconds(1))
        expect((yield* cache.profile(userA, load)).displayName).toBe("A2")
      })
    ))

  it.effect("a verification under way when its session is revoked is not kept", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const gate = yield* Deferred.make<void>()
        let calls = 0
        const slow = (_: string) =>
          Effect.zipRight(
            Effect.sync(() => calls++),
            Effect.as(Deferred.await(gate), { user: who(userA, session1), expiresAtMs: Number.MAX_SAFE_INTEGER })
          )
        const inFlight = yield* Effect.fork(cache.authenticate("t1", slow))
        yield* Effect.yieldNow()
        yield* cache.revoke({ _tag: "Session", sessionId: session1 })
        yield* Deferred.succeed(gate, undefined)
        expect((yield* Fiber.join(inFlight)).id).toBe(userA) // it answers the request it served…
        expect((yield* cache.stats).size).toBe(0) // …but is not remembered
        yield* cache.authenticate("t1", slow)
        expect(calls).toBe(2)
      })
    ))

  it.effect("tokens longer than any verifier accepts are neither hashed nor kept", () =>
    withCache((cache) =>
      Effect.gen(function*() {
        const huge = "x".repeat(5000)
        const v = verifier({})
        yield* Effect.flip(cache.authenticate(huge, v.verify))
        yield* Effect.flip(cache.authenticate(huge, v.verify))
        expect(v.calls).toHaveLength(2)
      })
    ))

  it.effect("two instances on one bus: each forgets what the other revoked, and never hears itself", () =>
    Effect.gen(function*() {
      const bus = yield* RevocationBus.sharedHub
      // Each layer build is one instance with its own bus client.
      const instance = Effect.provide(makeTokenCache(settings), bus)
      yield* Effect.scoped(Effect.gen(function*() {
        const a = yield* instance
        const b = yield* instance
        // The listeners subscribe a few scheduler turns after the caches are built (a server
        // takes far longer before it serves its first request).
        yield* Effect.repeatN(Effect.yieldNow(), 100)
        const v = verifier({ t1: who(userA, session1), t2: who(userB, session2) })
        for (const cache of [a, b]) {
          yield* cache.authenticate("t1", v.verify)
          yield* cache.authenticate("t2", v.verify)
        }
        yield* a.revoke({ _tag: "Session", sessionId: session1 })
        expect((yield* a.stats).revocations).toBe(1)
        // Delivery to b is asynchronous (a fiber reading the hub): wait for it, without sleeping.
        const delivered = yield* Effect.repeat(Effect.zipLeft(b.stats, Effect.yieldNow()), {
          until: (stats) => stats.revocations === 1,
          times: 1000
        })
        expect(delivered).toMatchObject({ size: 1, revocations: 1 })
        expect((yield* a.stats).revocations).toBe(1)

        yield* b.invalidateAll
        const emptied = yield* Effect.repeat(Effect.zipLeft(a.stats, Effect.yieldNow()), {
          until: (stats) => stats.size === 0,
          times: 1000
        })
        expect(emptied).toMatchObject({ size: 0, revocations: 2 })
      }))
    }))

  it.effect("revocations missed while cut off from the others: everything is forgotten, and logged once", () =>
    Effect.gen(function*() {
      const remote = yield* PubSub.unbounded<RemoteRevocation>()
      const bus = Layer.succeed(RevocationBus, { publish: () => Effect.void, remote: Stream.fromPubSub(remote) })
      const logged: Array<string> = []
      const logger = Logger.replace(Logger.defaultLogger, Logger.make(({ message }) => logged.push(String(message))))
      yield* withCache(
        (cache) =>
          Effect.gen(function*() {
            yield* Effect.repeatN(Effect.yieldNow(), 100)
            const v = verifier({ a1: who(userA, session1), b1: who(userB, session2), bad: new Unauthorized({ message: "no" }) })
            for (const token of ["a1", "b1"]) yield* cache.authenticate(token, v.verify)
            yield* Effect.flip(cache.authenticate("bad", v.verify))
            yield* PubSub.publish(remote, { _tag: "Missed" })
            const emptied = yield* Effect.repeat(Effect.zipLeft(cache.stats, Effect.yieldNow()), {
              until: (stats) => stats.size === 0,
              times: 1000
            })
            expect(emptied).toMatchObject({ size: 0, revocations: 2 })
            // Every token is verified again, refused ones included (whatever they were refused for may have changed).
            v.calls.length = 0
            for (const token of ["a1", "b1"]) yield* cache.authenticate(token, v.verify)
            yield* Effect.flip(cache.authenticate("bad", v.verify))
            expect(v.calls).toEqual(["a1", "b1", "bad"])
            expect(logged.filter((line) => line.includes("Token cache"))).toEqual([
              expect.stringContaining("forgot every verified token (2)")
            ])
          }),
        { bus }
      ).pipe(Effect.provide(logger))
    }))

  it.effect("closing the cache's scope stops its listener (the scope closes, nothing hangs)", () =>
    Effect.gen(function*() {
      const bus = yield* RevocationBus.sharedHub
      const exit = yield* Effect.exit(Effect.scoped(Effect.provide(makeTokenCache(settings), bus)))
      expect(Exit.isSuccess(exit)).toBe(true)
    }))
})
