import { AiRateLimit, Api, Authentication, CurrentUser, RateLimit } from "@compilar/domain"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { GroupsLive } from "../../src/Http.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { stubDatabase } from "../support/StubDatabase.js"
import { pglite } from "../support/TestDatabase.js"
import { json, request, TestServer } from "../support/TestServer.js"

/**
 * A test-only group standing in for the AI routes (quiz generation, coaching) that attach
 * `AiRateLimit`, and for authenticated routes in general. `misordered` declares the two
 * middlewares the wrong way round: on one endpoint the last declared runs first.
 */
class TierGroup extends HttpApiGroup.make("tiers")
  .add(HttpApiEndpoint.get("whoami", "/test/whoami").addSuccess(Schema.String).middleware(Authentication))
  .add(
    HttpApiEndpoint.post("generate", "/test/ai")
      .addSuccess(Schema.String)
      .middleware(AiRateLimit)
      .middleware(Authentication)
  )
  .add(
    HttpApiEndpoint.post("misordered", "/test/ai-misordered")
      .addSuccess(Schema.String)
      .middleware(Authentication)
      .middleware(AiRateLimit)
  )
{}

const TierApi = Api.add(TierGroup.middleware(RateLimit))

const userId = Effect.map(CurrentUser, (user) => user.id)
const TierGroupLive = HttpApiBuilder.group(TierApi, "tiers", (handlers) =>
  handlers.handle("whoami", () => userId).handle("generate", () => userId).handle("misordered", () => userId))

const tierApiLive = HttpApiBuilder.api(TierApi).pipe(Layer.provide(GroupsLive), Layer.provide(TierGroupLive))

/** A client at `address`, as the proxy on loopback (trusted here) reports it. */
const from = (address: string) => ({ "x-forwarded-for": address })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

const signup = (address: string) =>
  Effect.gen(function*() {
    const response = yield* request("/api/v1/auth/signup", {
      method: "POST",
      headers: { "content-type": "application/json", ...from(address) },
      body: JSON.stringify({
        email: `tier.${randomBytes(4).toString("hex")}@example.com`,
        password: "Correct-horse-battery-9",
        displayName: "Tier"
      })
    })
    expect(response.status).toBe(201)
    return ((yield* json(response)) as { accessToken: string }).accessToken
  })

const statuses = (n: number, call: Effect.Effect<Response, never, TestServer>) =>
  Effect.forEach(Array.from({ length: n }), () => Effect.map(call, (r) => r.status))

describe("rate-limit tiers", () => {
  const server = TestServer.layer({
    database: MigrationsLive.pipe(Layer.provideMerge(pglite.layer)),
    api: tierApiLive,
    // Every request through the platform, so that /health's exemption is the tier's, not the fast path's.
    fastPath: false,
    trustedProxies: ["loopback"],
    rateLimits: { generalPerMinute: 5, aiPerMinute: 2 }
  })

  layer(server, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("general, per address: RateLimit headers on every answer, 429 envelope past the limit; health exempt", () =>
      Effect.gen(function*() {
        const pillars = request("/api/v1/pilar/pillars", { headers: from("203.0.113.10") })
        for (const remaining of [4, 3, 2, 1, 0]) {
          const response = yield* pillars
          expect(response.status).toBe(200)
          expect(response.headers.get("ratelimit-limit")).toBe("5")
          expect(response.headers.get("ratelimit-remaining")).toBe(String(remaining))
          expect(response.headers.get("retry-after")).toBeNull()
        }
        const refused = yield* pillars
        expect(refused.status).toBe(429)
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0)
        expect(yield* json(refused)).toMatchObject({
          error: { code: "rate_limited", message: expect.stringContaining("Too many requests") }
        })
        // Other addresses have their own budget; health probes are never counted or refused.
        expect((yield* request("/api/v1/pilar/modes", { headers: from("203.0.113.11") })).status).toBe(200)
        const health = yield* statuses(8, request("/health", { headers: from("203.0.113.10") }))
        expect(health.every((s) => s === 200)).toBe(true)
        expect((yield* request("/health", { headers: from("203.0.113.10") })).headers.get("ratelimit-limit")).toBeNull()
      }))

    it.effect("general, per user: each signed-in user has a budget of their own, apart from their address's", () =>
      Effect.gen(function*() {
        const ada = yield* signup("198.51.100.20")
        const bob = yield* signup("198.51.100.21")
        const whoami = (token: string) => request("/test/whoami", { headers: { ...bearer(token), ...from("198.51.100.22") } })
        expect(yield* statuses(6, whoami(ada))).toEqual([200, 200, 200, 200, 200, 429])
        expect(yield* statuses(1, whoami(bob))).toEqual([200])
        // The address itself, anonymous, still has its budget.
        expect((yield* request("/api/v1/pilar/modes", { headers: from("198.51.100.22") })).status).toBe(200)
      }))

    it.effect("AI, per user: after Authentication, keyed by the user; the tighter tier is the one reported", () =>
      Effect.gen(function*() {
        const ada = yield* signup("198.51.100.30")
        const bob = yield* signup("198.51.100.31")
        const generate = (token: string) =>
          request("/test/ai", { method: "POST", headers: { ...bearer(token), ...from("198.51.100.32") } })
        const first = yield* generate(ada)
        expect(first.status).toBe(200)
        expect(first.headers.get("ratelimit-limit")).toBe("2")
        expect(first.headers.get("ratelimit-remaining")).toBe("1")
        expect((yield* generate(ada)).status).toBe(200)
        const refused = yield* generate(ada)
        expect(refused.status).toBe(429)
        expect(refused.headers.get("ratelimit-limit")).toBe("2")
        expect(yield* json(refused)).toMatchObject({
          error: { code: "rate_limited", message: expect.stringContaining("AI requests") }
        })
        expect((yield* generate(bob)).status).toBe(200)
        // Without a token Authentication refuses first: nothing is counted against anyone.
        const anonymous = yield* request("/test/ai", { method: "POST", headers: from("198.51.100.32") })
        expect(anonymous.status).toBe(401)
      }))

    it.effect("AI declared before Authentication runs first, cannot tell users apart, and says so with a 500", () =>
      Effect.gen(function*() {
        const ada = yield* signup("198.51.100.40")
        const response = yield* request("/test/ai-misordered", {
          method: "POST",
          headers: { ...bearer(ada), ...from("198.51.100.40") }
        })
        expect(response.status).toBe(500)
        expect(yield* json(response)).toMatchObject({ error: { code: "internal_error" } })
      }))
  })
})

describe("forwarded addresses from an untrusted peer", () => {
  const server = TestServer.layer({ database: stubDatabase, rateLimits: { generalPerMinute: 3 }, trustedProxies: ["10.0.0.0/8"] })

  layer(server, { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("are ignored: a client cannot buy a fresh budget by inventing X-Forwarded-For", () =>
      Effect.gen(function*() {
        const forged = (i: number) => request("/api/v1/pilar/modes", { headers: from(`203.0.113.${100 + i}`) })
        const answers = yield* Effect.forEach([0, 1, 2, 3, 4], (i) => Effect.map(forged(i), (r) => r.status))
        expect(answers).toEqual([200, 200, 200, 429, 429])
      }))
  })
})
