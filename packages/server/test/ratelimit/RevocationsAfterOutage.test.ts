import type { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel } from "effect"
import { randomBytes } from "node:crypto"
import { MigrationsLive } from "../../src/Migrations.js"
import { type TcpProxy, tcpProxy } from "../support/TcpProxy.js"
import { databases } from "../support/TestDatabase.js"
import { freshRedis, redisTarget, redisUrl, throughProxy } from "../support/TestRedis.js"
import { TestServer, type TestServerShape } from "../support/TestServer.js"

/**
 * Two instances on one database and one Redis, B reaching Redis through a proxy the test can
 * cut. A revocation published while B is cut off never reaches B (pub/sub delivers at most
 * once); when B's subscription comes back, B forgets every token it had verified, so the revoked
 * one is checked against the database again and refused. The other way round, a revocation B
 * makes while cut off is published when B is back, and A, which never lost Redis, hears it.
 */
class InstanceA extends Context.Tag("test/InstanceA")<InstanceA, TestServerShape>() {}
class InstanceB extends Context.Tag("test/InstanceB")<InstanceB, TestServerShape>() {}
class BToRedis extends Context.Tag("test/BToRedis")<BToRedis, TcpProxy>() {}

const instances = <E>(database: Layer.Layer<SqlClient.SqlClient, E>) =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const proxy = yield* tcpProxy(redisTarget())
    const redis = yield* freshRedis()
    const shared = Layer.succeedContext(
      yield* Layer.build(MigrationsLive.pipe(Layer.provideMerge(database))).pipe(Logger.withMinimumLogLevel(LogLevel.Warning))
    )
    // Fresh: the server's inner layers (the token cache among them) would otherwise be built once and shared.
    return Layer.mergeAll(
      Layer.effect(InstanceA, TestServer).pipe(Layer.provide(Layer.fresh(TestServer.layer({ database: shared, redis })))),
      // Errors only: B's rate limiter and revocation bus warn about the outage, as they should.
      Layer.effect(InstanceB, TestServer).pipe(
        Layer.provide(Layer.fresh(TestServer.layer({ database: shared, redis: throughProxy(redis, proxy.port), logLevel: LogLevel.Error })))
      ),
      Layer.succeed(BToRedis, proxy)
    )
  }))

const call = (instance: TestServerShape, path: string, init?: RequestInit) =>
  Effect.promise(() => fetch(`${instance.url}${path}`, init))

const signup = (instance: TestServerShape) =>
  Effect.gen(function*() {
    const response = yield* call(instance, "/api/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        email: `outage.${randomBytes(4).toString("hex")}@example.com`,
        password: "Correct-horse-battery-9",
        displayName: "Outage"
      })
    })
    expect(response.status).toBe(201)
    return (yield* Effect.promise(() => response.json())) as { accessToken: string; refreshToken: string }
  })

const me = (instance: TestServerShape, token: string) =>
  Effect.map(call(instance, "/api/v1/auth/me", { headers: { authorization: `Bearer ${token}` } }), (r) => r.status)

const logout = (instance: TestServerShape, refreshToken: string) =>
  Effect.map(
    call(instance, "/api/v1/auth/logout", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken })
    }),
    (r) => r.status
  )

/** `/me`'s status once it stops being 200, or 200 after five seconds. */
const meOnceRefused = (instance: TestServerShape, token: string) =>
  Effect.gen(function*() {
    const deadline = Date.now() + 5_000
    let status = yield* me(instance, token)
    while (status === 200 && Date.now() < deadline) {
      yield* Effect.sleep("50 millis")
      status = yield* me(instance, token)
    }
    return status
  })

describe.runIf(redisUrl !== undefined)("token cache after a Redis outage", () => {
  describe.each(databases)("on $name", ({ layer: database }) => {
    layer(instances(database), { excludeTestServices: true, timeout: 240_000 })((it) => {
      it.effect("a token revoked on A while B was cut off from Redis is refused by B once B is back", () =>
        Effect.gen(function*() {
          const a = yield* InstanceA
          const b = yield* InstanceB
          const proxy = yield* BToRedis
          const ada = yield* signup(a)
          const bob = yield* signup(a)
          // B has verified (and cached) both tokens.
          for (const token of [ada.accessToken, bob.accessToken]) {
            expect(yield* me(b, token)).toBe(200)
            expect(yield* me(b, token)).toBe(200)
          }

          yield* proxy.down
          expect(yield* logout(a, ada.refreshToken)).toBe(204)
          expect(yield* me(a, ada.accessToken)).toBe(401)
          // The revocation was published while B could not hear it: B still answers from its cache.
          expect(yield* me(b, ada.accessToken)).toBe(200)

          yield* proxy.up
          // B reconnects (retried at most a second apart), resubscribes, and forgets what it verified.
          expect(yield* meOnceRefused(b, ada.accessToken)).toBe(401)
          // Tokens whose sessions are still live are verified again, and pass.
          expect(yield* me(b, bob.accessToken)).toBe(200)
        }))

      it.effect("a logout on B while B was cut off from Redis reaches A once B is back", () =>
        Effect.gen(function*() {
          const a = yield* InstanceA
          const b = yield* InstanceB
          const proxy = yield* BToRedis
          const cleo = yield* signup(a)
          const dan = yield* signup(a)
          for (const token of [cleo.accessToken, dan.accessToken]) {
            expect(yield* me(a, token)).toBe(200)
            expect(yield* me(a, token)).toBe(200)
          }

          yield* proxy.down
          expect(yield* logout(b, cleo.refreshToken)).toBe(204)
          expect(yield* me(b, cleo.accessToken)).toBe(401)
          // A never lost Redis, so it misses nothing: it answers from its cache until told.
          expect(yield* me(a, cleo.accessToken)).toBe(200)

          yield* proxy.up
          expect(yield* meOnceRefused(a, cleo.accessToken)).toBe(401)
          // Only that session was revoked: A still answers the other from its cache.
          expect(yield* me(a, dan.accessToken)).toBe(200)
        }))
    })
  })
})
