import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { MigrationsLive } from "../../src/Migrations.js"
import { pglite } from "../support/TestDatabase.js"
import { freshRedis, redisUrl } from "../support/TestRedis.js"
import { TestServer, type TestServerShape } from "../support/TestServer.js"

/** Two instances of the app, as a load balancer would see them: one database, one Redis, two processes' worth of memory. */
class InstanceA extends Context.Tag("test/InstanceA")<InstanceA, TestServerShape>() {}
class InstanceB extends Context.Tag("test/InstanceB")<InstanceB, TestServerShape>() {}

const twoInstances = Layer.unwrapScoped(Effect.gen(function*() {
  const redis = yield* freshRedis()
  const database = Layer.succeedContext(yield* Layer.build(MigrationsLive.pipe(Layer.provideMerge(pglite.layer))))
  const instance = TestServer.layer({ database, redis, signInPerMinute: 4, trustedProxies: ["loopback"] })
  return Layer.merge(
    // Fresh: the same layer value would otherwise be built once and shared.
    Layer.effect(InstanceA, TestServer).pipe(Layer.provide(Layer.fresh(instance))),
    Layer.effect(InstanceB, TestServer).pipe(Layer.provide(Layer.fresh(instance)))
  )
}))

const call = (instance: TestServerShape, path: string, init?: RequestInit) =>
  Effect.promise(() => fetch(`${instance.url}${path}`, init))

/** Each test acts as a client of its own (the proxy on loopback is trusted), so the tests do not share budgets. */
const post = (instance: TestServerShape, path: string, body: unknown, client: string) =>
  call(instance, `/api/v1/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": client },
    body: JSON.stringify(body)
  })

const unique = () => `twin.${randomBytes(4).toString("hex")}@example.com`

describe.runIf(redisUrl !== undefined)("two instances on one Redis", () => {
  // Two servers and a database to boot: generous, for a machine busy with other test files.
  layer(twoInstances, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("share one set of limits: requests split across them hit one budget", () =>
      Effect.gen(function*() {
        const a = yield* InstanceA
        const b = yield* InstanceB
        expect(a.url).not.toBe(b.url)
        const attempt = (instance: TestServerShape) => post(instance, "login", { email: unique(), password: "wrong password 12345" }, "203.0.113.1")
        const seen = []
        for (const instance of [a, b, a, b, a, b]) {
          const response = yield* attempt(instance)
          seen.push([response.status, response.headers.get("ratelimit-remaining")])
        }
        expect(seen).toEqual([[401, "3"], [401, "2"], [401, "1"], [401, "0"], [429, "0"], [429, "0"]])
      }))

    it.effect("see each other's revocations: signed out on A, the access token is refused on B", () =>
      Effect.gen(function*() {
        const a = yield* InstanceA
        const b = yield* InstanceB
        const client = "203.0.113.2"
        const signup = yield* post(a, "signup", { email: unique(), password: "Correct-horse-battery-9", displayName: "Twin" }, client)
        expect(signup.status).toBe(201)
        const session = (yield* Effect.promise(() => signup.json())) as { accessToken: string; refreshToken: string }
        const me = (instance: TestServerShape) =>
          Effect.map(call(instance, "/api/v1/auth/me", { headers: { authorization: `Bearer ${session.accessToken}` } }), (r) => r.status)
        // Both instances have verified (and cached) the token.
        expect(yield* me(a)).toBe(200)
        expect(yield* me(b)).toBe(200)
        expect(yield* me(b)).toBe(200)

        expect((yield* post(a, "logout", { refreshToken: session.refreshToken }, client)).status).toBe(204)
        expect(yield* me(a)).toBe(401)
        // B hears it over Redis pub/sub: within moments, not at the token's expiry 15 minutes on.
        const deadline = Date.now() + 3_000
        let status = yield* me(b)
        while (status === 200 && Date.now() < deadline) {
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 25)))
          status = yield* me(b)
        }
        expect(status).toBe(401)
      }))
  })
})
