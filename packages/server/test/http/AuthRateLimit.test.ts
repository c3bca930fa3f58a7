import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { MigrationsLive } from "../../src/Migrations.js"
import { pglite } from "../support/TestDatabase.js"
import { json, request, TestServer } from "../support/TestServer.js"

const login = (email: string) =>
  request("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: "not the right one at all 1" })
  })

describe("sign-in rate limit", () => {
  const server = TestServer.layer({ database: MigrationsLive.pipe(Layer.provideMerge(pglite.layer)), signInPerMinute: 3 })
  layer(server, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("past the limit: 429 rate_limited with Retry-After and RateLimit headers, before any password check", () =>
      Effect.gen(function*() {
        for (const expected of [2, 1, 0]) {
          const response = yield* login(`someone${expected}@example.com`)
          expect(response.status).toBe(401)
          expect(response.headers.get("ratelimit-limit")).toBe("3")
          expect(response.headers.get("ratelimit-remaining")).toBe(String(expected))
        }
        const refused = yield* login("someone@example.com")
        expect(refused.status).toBe(429)
        const retryAfter = Number(refused.headers.get("retry-after"))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(60)
        expect(refused.headers.get("ratelimit-remaining")).toBe("0")
        expect(yield* json(refused)).toMatchObject({ error: { code: "rate_limited" } })
        // Other routes are not counted against sign-in.
        expect((yield* request("/health")).status).toBe(200)
      }))
  })
})
