import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { MigrationsLive } from "../../src/Migrations.js"
import { pglite } from "../support/TestDatabase.js"
import { freshRedis, redisUrl } from "../support/TestRedis.js"
import { json, request, TestServer } from "../support/TestServer.js"

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`/api/v1/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

const wrongPassword = "not the right one at all 1"
const login = (email: string, headers: Record<string, string> = {}) => post("login", { email, password: wrongPassword }, headers)
const unique = () => `someone.${randomBytes(4).toString("hex")}@example.com`
/** A client at `address`, as the proxy on loopback (trusted here) reports it. */
const from = (address: string) => ({ "x-forwarded-for": address })

const options = {
  database: MigrationsLive.pipe(Layer.provideMerge(pglite.layer)),
  signInPerMinute: 3,
  rateLimits: { signInAccountPerMinute: 2, refreshPerMinute: 3 },
  trustedProxies: ["loopback"]
}

const stores = [
  { name: "memory", server: TestServer.layer(options) },
  ...(redisUrl === undefined ? [] : [{
    name: "redis",
    server: Layer.unwrapScoped(Effect.map(freshRedis(), (redis) => TestServer.layer({ ...options, redis })))
  }])
]

describe.each(stores)("sign-in rate limit, $name store", ({ server }) => {
  layer(server, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("per address: past the limit 429 rate_limited with Retry-After and RateLimit headers, before any password check", () =>
      Effect.gen(function*() {
        for (let i = 0; i < 3; i++) {
          const response = yield* login(unique())
          expect(response.status).toBe(401)
          expect(response.headers.get("ratelimit-remaining")).not.toBeNull()
        }
        const last = yield* login(unique())
        // Each attempt names a new account (limit 2, one used): only the address (limit 3) refuses.
        const refused = last
        expect(refused.status).toBe(429)
        expect(refused.headers.get("ratelimit-limit")).toBe("3")
        const retryAfter = Number(refused.headers.get("retry-after"))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(refused.headers.get("ratelimit-remaining")).toBe("0")
        expect(Number(refused.headers.get("ratelimit-reset"))).toBe(retryAfter)
        expect(yield* json(refused)).toMatchObject({ error: { code: "rate_limited", requestId: expect.any(String) } })
        // Sign-up shares the address's budget; refresh (its own tier) and other routes are not counted against it.
        expect((yield* post("signup", { email: unique(), password: "Correct-horse-battery-9", displayName: "A" })).status)
          .toBe(429)
        const refresh = yield* post("refresh", { refreshToken: "x" })
        expect(refresh.status).toBe(401)
        expect(refresh.headers.get("ratelimit-limit")).toBe("3")
        expect(refresh.headers.get("ratelimit-remaining")).toBe("2")
        expect((yield* request("/health")).status).toBe(200)
        expect((yield* request("/api/v1/pilar/pillars")).status).toBe(200)
        // Another address is not affected.
        expect((yield* login(unique(), from("203.0.113.77"))).status).toBe(401)
      }))

    it.effect("per account: one email, however written and from however many addresses, gets its own budget", () =>
      Effect.gen(function*() {
        const email = unique()
        const first = yield* login(email, from("198.51.100.1"))
        expect(first.status).toBe(401)
        // The tighter of the two tiers is the one reported: the account's (2), not the address's (3).
        expect(first.headers.get("ratelimit-limit")).toBe("2")
        expect(first.headers.get("ratelimit-remaining")).toBe("1")
        expect((yield* login(`  ${email.toUpperCase()} `, from("198.51.100.2"))).status).toBe(401)
        const refused = yield* login(email, from("198.51.100.3"))
        expect(refused.status).toBe(429)
        expect(refused.headers.get("retry-after")).not.toBeNull()
        expect(yield* json(refused)).toMatchObject({ error: { code: "rate_limited" } })
        // Sign-up for the same account is counted too; another account from the same address is not.
        const signup = yield* post("signup", { email, password: "Correct-horse-battery-9", displayName: "A" }, from("198.51.100.4"))
        expect(signup.status).toBe(429)
        expect((yield* login(unique(), from("198.51.100.3"))).status).toBe(401)
      }))

    it.effect("refresh has a tier of its own, per address: 429 with RateLimit headers and Retry-After past it", () =>
      Effect.gen(function*() {
        const refresh = (address: string) => post("refresh", { refreshToken: "unknown" }, from(address))
        for (const remaining of ["2", "1", "0"]) {
          const response = yield* refresh("192.0.2.50")
          expect(response.status).toBe(401)
          expect(response.headers.get("ratelimit-limit")).toBe("3")
          expect(response.headers.get("ratelimit-remaining")).toBe(remaining)
          expect(response.headers.get("retry-after")).toBeNull()
        }
        const refused = yield* refresh("192.0.2.50")
        expect(refused.status).toBe(429)
        expect(refused.headers.get("ratelimit-limit")).toBe("3")
        expect(refused.headers.get("ratelimit-remaining")).toBe("0")
        const retryAfter = Number(refused.headers.get("retry-after"))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(Number(refused.headers.get("ratelimit-reset"))).toBe(retryAfter)
        expect(yield* json(refused)).toMatchObject({
          error: { code: "rate_limited", message: expect.stringContaining("refreshes"), requestId: expect.any(String) }
        })
        // The cookie-only form is the same route and the same budget.
        const cookie = yield* request("/api/v1/auth/refresh", {
          method: "POST",
          headers: { "content-type": "application/json", cookie: "compilar_refresh=unknown", ...from("192.0.2.50") },
          body: "{}"
        })
        expect(cookie.status).toBe(429)
        // Refreshes spent none of the address's sign-in budget (3): all three attempts still pass the limiter.
        const logins = []
        for (let i = 0; i < 3; i++) logins.push((yield* login(unique(), from("192.0.2.50"))).status)
        expect(logins).toEqual([401, 401, 401])
        expect((yield* login(unique(), from("192.0.2.50"))).status).toBe(429)
        // Another address refreshes on its own budget.
        expect((yield* refresh("192.0.2.52")).status).toBe(401)
      }))

    it.effect("sign-in attempts spend none of the refresh budget", () =>
      Effect.gen(function*() {
        for (let i = 0; i < 3; i++) expect((yield* login(unique(), from("192.0.2.60"))).status).toBe(401)
        expect((yield* login(unique(), from("192.0.2.60"))).status).toBe(429)
        const refreshes = []
        for (let i = 0; i < 3; i++) {
          refreshes.push((yield* post("refresh", { refreshToken: "unknown" }, from("192.0.2.60"))).status)
        }
        expect(refreshes).toEqual([401, 401, 401])
      }))

    it.effect("a malformed body still gets its own error", () =>
      Effect.gen(function*() {
        const malformed = yield* request("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json", ...from("192.0.2.51") },
          body: "{not json"
        })
        expect(malformed.status).toBe(400)
        expect(yield* json(malformed)).toMatchObject({ error: { code: "malformed_json" } })
      }))
  })
})
