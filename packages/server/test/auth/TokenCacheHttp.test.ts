import { Api } from "@compilar/domain"
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Schedule } from "effect"
import { RevocationBus } from "../../src/Auth/Revocations.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { databases } from "../support/TestDatabase.js"
import { json, TestServer } from "../support/TestServer.js"
import {
  errorCode,
  invalidate,
  login,
  me,
  password,
  post,
  type SessionBody,
  signup,
  stats,
  type StatsBody,
  statsResponse,
  uniqueEmail
} from "./AuthHttp.js"

/**
 * The verified-token cache through HTTP: who may read and empty it, what it counts, and that
 * logout, refresh reuse and an operator's invalidation take effect on the very next request,
 * on this instance and on another one sharing the revocation bus.
 */

const operatorEmail = "ops@example.com"

/** The client derived from the contract, sending this bearer token. */
const clientAs = (token: string) =>
  Effect.flatMap(TestServer, ({ url }) =>
    HttpApiClient.make(Api, {
      baseUrl: url,
      transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
    })).pipe(Effect.provide(FetchHttpClient.layer))

const delta = (before: StatsBody, after: StatsBody) => ({
  hits: after.hits - before.hits,
  misses: after.misses - before.misses,
  revocations: after.revocations - before.revocations
})

describe.each(databases)("verified-token cache on $name", ({ layer: database }) => {
  const server = TestServer.layer({
    database: MigrationsLive.pipe(Layer.provideMerge(database)),
    auth: { operatorEmails: [operatorEmail] }
  })

  layer(server, { excludeTestServices: true, timeout: 120_000 })((it) => {
    /** The operator: signed up by the first test that needs one, signed in again by the others. */
    const operator = Effect.flatMap(post("signup", { email: operatorEmail, password, displayName: "Ops" }), (response) =>
      response.status === 201 ? json(response) as Effect.Effect<SessionBody> : login(operatorEmail))

    it.effect("cache-stats and invalidate-cache: 401 without a token, 403 forbidden for learners, operators only", () =>
      Effect.gen(function*() {
        const learner = yield* signup()
        for (const response of [yield* statsResponse(undefined), yield* invalidate(undefined)]) {
          expect(response.status).toBe(401)
          expect(yield* errorCode(response)).toBe("unauthorized")
        }
        for (const response of [yield* statsResponse(learner.accessToken), yield* invalidate(learner.accessToken)]) {
          expect(response.status).toBe(403)
          expect(yield* errorCode(response)).toBe("forbidden")
        }
        const ops = yield* operator
        expect(ops.user.roles).toEqual(["operator"])
        const response = yield* statsResponse(ops.accessToken)
        expect(response.status).toBe(200)
        const body = (yield* json(response)) as Record<string, unknown>
        expect(Object.keys(body).sort()).toEqual(["capacity", "evictions", "hitRate", "hits", "misses", "revocations", "size"])
        expect(body["capacity"]).toBe(10_000)
        for (const value of Object.values(body)) expect(typeof value).toBe("number")

        // The typed client sees the same, and the learner's 403 as a Forbidden error.
        const typed = yield* Effect.flatMap(clientAs(ops.accessToken), (client) => client.auth.cacheStats())
        expect(typed.capacity).toBe(10_000)
        const refused = yield* Effect.flip(Effect.flatMap(clientAs(learner.accessToken), (client) => client.auth.cacheStats()))
        expect(refused._tag).toBe("Forbidden")
      }))

    it.effect("/me after the first request is a cache hit, on the fast path and the platform path alike", () =>
      Effect.gen(function*() {
        const ops = yield* operator
        const learner = yield* signup()
        const before = yield* stats(ops.accessToken)
        for (let i = 0; i < 10; i++) {
          expect((yield* me(learner.accessToken, i % 2 === 0 ? "fast" : "platform")).status).toBe(200)
        }
        const after = yield* stats(ops.accessToken)
        // 1 miss for the learner's first request; 9 hits for the others and 1 for the operator's own second call.
        expect(delta(before, after)).toEqual({ hits: 10, misses: 1, revocations: 0 })
        expect(after.size).toBeGreaterThanOrEqual(2)
        expect(after.hitRate).toBeCloseTo(after.hits / (after.hits + after.misses), 10)
      }))

    it.effect("a refused token is remembered: the second request with it is a hit", () =>
      Effect.gen(function*() {
        const ops = yield* operator
        const before = yield* stats(ops.accessToken)
        const forged = `${"eyJhbGciOiJIUzI1NiJ9"}.${Buffer.from("{}").toString("base64url")}.${"A".repeat(43)}`
        for (let i = 0; i < 2; i++) {
          const response = yield* me(forged)
          expect(response.status).toBe(401)
          expect(yield* errorCode(response)).toBe("unauthorized")
        }
        expect(delta(before, yield* stats(ops.accessToken))).toEqual({ hits: 2, misses: 1, revocations: 0 })
      }))

    it.effect("logout: the cached access token is refused on the very next request", () =>
      Effect.gen(function*() {
        const ops = yield* operator
        const email = uniqueEmail()
        yield* signup(email)
        const laptop = yield* login(email)
        const phone = yield* login(email)
        for (const session of [laptop, phone]) expect((yield* me(session.accessToken)).status).toBe(200)
        const before = yield* stats(ops.accessToken)
        expect((yield* post("logout", { refreshToken: laptop.refreshToken })).status).toBe(204)
        for (const via of ["fast", "platform"] as const) {
          const refused = yield* me(laptop.accessToken, via)
          expect(refused.status).toBe(401)
          expect(yield* errorCode(refused)).toBe("unauthorized")
        }
        expect((yield* me(phone.accessToken)).status).toBe(200)
        expect(delta(before, yield* stats(ops.accessToken)).revocations).toBe(1)
      }))

    it.effect("refresh reuse: every access token of the session family is refused at once", () =>
      Effect.gen(function*() {
        const ops = yield* operator
        const first = yield* signup()
        const second = (yield* json(yield* post("refresh", { refreshToken: first.refreshToken }))) as typeof first
        for (const token of [first.accessToken, second.accessToken]) expect((yield* me(token)).status).toBe(200)
        const before = yield* stats(ops.accessToken)
        const replay = yield* post("refresh", { refreshToken: first.refreshToken })
        expect(yield* errorCode(replay)).toBe("refresh_reused")
        for (const token of [first.accessToken, second.accessToken]) {
          const refused = yield* me(token)
          expect(refused.status).toBe(401)
        }
        // Minted within the same second for the same session, the two may be the same token.
        const distinct = new Set([first.accessToken, second.accessToken]).size
        expect(delta(before, yield* stats(ops.accessToken)).revocations).toBe(distinct)
      }))

    it.effect("invalidate-cache: an operator empties it; tokens still work, verified again", () =>
      Effect.gen(function*() {
        const ops = yield* operator
        const learner = yield* signup()
        expect((yield* me(learner.accessToken)).status).toBe(200)
        const response = yield* invalidate(ops.accessToken)
        expect(response.status).toBe(200)
        const { evicted } = (yield* json(response)) as { evicted: number }
        expect(evicted).toBeGreaterThanOrEqual(2) // the learner's token and the operator's own
        const emptied = yield* stats(ops.accessToken)
        expect(emptied.size).toBe(1) // the operator's token, verified again for this very call
        expect((yield* me(learner.accessToken)).status).toBe(200)
        const after = yield* stats(ops.accessToken)
        expect(delta(emptied, after)).toEqual({ hits: 1, misses: 1, revocations: 0 })
      }))
  })
})

/** Two server instances over one database, their token caches joined by one revocation bus. */
class InstanceA extends Context.Tag("test/InstanceA")<InstanceA, { readonly url: string }>() {}
class InstanceB extends Context.Tag("test/InstanceB")<InstanceB, { readonly url: string }>() {}

const twoInstances = (database: (typeof databases)[number]["layer"]) =>
  Layer.unwrapEffect(Effect.map(RevocationBus.sharedHub, (bus) => {
    const shared = MigrationsLive.pipe(Layer.provideMerge(database))
    const instance = <I, S extends { readonly url: string }>(tag: Context.Tag<I, S>) =>
      Layer.effect(tag, Effect.map(TestServer, (server) => server as S)).pipe(
        Layer.provide(TestServer.layer({ database: shared, revocations: bus }))
      )
    return Layer.merge(instance(InstanceA), instance(InstanceB))
  }))

/** Runs `effect` against one instance: the helpers address whichever `TestServer` they are given. */
const on = <I, A, E>(tag: Context.Tag<I, { readonly url: string }>, effect: Effect.Effect<A, E, TestServer>) =>
  Effect.flatMap(tag, (server) => Effect.provideService(effect, TestServer, server))

/** Delivery to the other instance is asynchronous: ask until it answers `status` (2 s at most). */
const until = <I>(tag: Context.Tag<I, { readonly url: string }>, token: string, status: number) =>
  on(tag, me(token)).pipe(
    Effect.filterOrFail((response) => response.status === status, (response) => new Error(`/me answered ${response.status}`)),
    Effect.retry(Schedule.spaced("20 millis")),
    Effect.timeoutFail({ duration: Duration.seconds(2), onTimeout: () => new Error(`/me did not answer ${status} in 2 s`) })
  )

describe.each(databases)("two instances sharing revocations on $name", ({ layer: database }) => {
  layer(twoInstances(database), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("logout on one instance is seen by the other, whose cache held the token", () =>
      Effect.gen(function*() {
        const session = yield* on(InstanceA, signup())
        expect((yield* on(InstanceA, me(session.accessToken))).status).toBe(200)
        expect((yield* on(InstanceB, me(session.accessToken))).status).toBe(200) // now cached on B too
        yield* on(InstanceA, post("logout", { refreshToken: session.refreshToken }))
        expect((yield* on(InstanceA, me(session.accessToken))).status).toBe(401) // at once where it happened
        yield* until(InstanceB, session.accessToken, 401)
      }))

    it.effect("refresh reuse detected on B revokes the family's tokens cached on A", () =>
      Effect.gen(function*() {
        const first = yield* on(InstanceB, signup())
        const second = (yield* on(InstanceA, Effect.flatMap(post("refresh", { refreshToken: first.refreshToken }), json))) as typeof first
        for (const token of [first.accessToken, second.accessToken]) {
          expect((yield* on(InstanceA, me(token))).status).toBe(200)
        }
        expect(yield* on(InstanceB, Effect.flatMap(post("refresh", { refreshToken: first.refreshToken }), errorCode))).toBe(
          "refresh_reused"
        )
        yield* until(InstanceA, first.accessToken, 401)
        yield* until(InstanceA, second.accessToken, 401)
      }))
  })
})
