import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import { signClaims } from "../../src/Auth/Tokens.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { pglite } from "../support/TestDatabase.js"
import { TestServer, testAuthConfig } from "../support/TestServer.js"
import { withoutWait } from "../support/RefusalWait.js"
import { me, signup } from "./AuthHttp.js"

/**
 * `GET /api/v1/auth/me` is answered by node:http's fast path (Http/FastRoute.ts) unless the URL
 * has a query string, which sends it through HttpApi with the Authentication middleware and
 * the general rate limit. Both must answer alike: status, body, headers.
 */

const allowedOrigin = "https://app.compilar.test"

/** The headers that may differ between two answers given a moment apart. */
const volatile = new Set(["date", "content-length", "ratelimit-remaining", "ratelimit-reset", "retry-after"])

const compare = (token: string | undefined, extra: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const headers = { origin: allowedOrigin, "x-request-id": "same-request-1", ...extra }
    const fast = yield* me(token, "fast", headers)
    const platform = yield* me(token, "platform", headers)
    expect(fast.status).toBe(platform.status)
    const keys = (r: Response) => [...r.headers.keys()].filter((k) => !volatile.has(k)).sort()
    expect(keys(fast)).toEqual(keys(platform))
    for (const key of keys(fast)) expect([key, fast.headers.get(key)]).toEqual([key, platform.headers.get(key)])
    expect(fast.headers.has("retry-after")).toBe(platform.headers.has("retry-after"))
    const [a, b] = [yield* Effect.promise(() => fast.text()), yield* Effect.promise(() => platform.text())]
    expect(withoutWait(JSON.parse(a))).toEqual(withoutWait(JSON.parse(b)))
    return { status: fast.status, body: JSON.parse(a) as Record<string, unknown>, fast, platform }
  })

const server = (generalPerMinute: number) =>
  TestServer.layer({
    database: MigrationsLive.pipe(Layer.provideMerge(pglite.layer)),
    config: { corsOrigins: [allowedOrigin] },
    rateLimits: { generalPerMinute }
  })

describe("/me on the fast path and through HttpApi", () => {
  layer(server(10_000), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("a valid token: the same user, the same headers, one rate-limit counter for both", () =>
      Effect.gen(function*() {
        const session = yield* signup()
        const { body, fast, platform, status } = yield* compare(session.accessToken)
        expect(status).toBe(200)
        expect(body).toEqual(session.user)
        expect(fast.headers.get("ratelimit-limit")).toBe("10000")
        // The fast request counted first, the platform one next: one counter per user.
        expect(Number(fast.headers.get("ratelimit-remaining")) - Number(platform.headers.get("ratelimit-remaining"))).toBe(1)
      }))

    it.effect("missing, non-bearer, tampered, unknown-session and expired tokens: the same envelopes", () =>
      Effect.gen(function*() {
        const session = yield* signup()
        const [header, payload, signature] = session.accessToken.split(".") as [string, string, string]
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>
        const key = testAuthConfig().jwtKey
        const now = Math.floor(Date.now() / 1000)
        const cases: ReadonlyArray<readonly [string, string | undefined, Record<string, string>, string]> = [
          ["missing", undefined, {}, "unauthorized"],
          ["basic", undefined, { authorization: "Basic YWxhZGRpbjpvcGVuc2VzYW1l" }, "unauthorized"],
          ["tampered", `${header}.${payload}.${signature.slice(0, -4)}AAAA`, {}, "unauthorized"],
          ["garbage", "garbage", {}, "unauthorized"],
          ["ended session", signClaims(key, { ...claims, sid: randomUUID() }), {}, "unauthorized"],
          ["expired", signClaims(key, { ...claims, iat: now - 1000, exp: now - 100 }), {}, "token_expired"]
        ]
        for (const [name, token, extra, code] of cases) {
          const { body, fast, status } = yield* compare(token, extra)
          expect([name, status, (body as { error: { code: string } }).error.code]).toEqual([name, 401, code])
          expect((body as { error: { requestId: string } }).error.requestId).toBe("same-request-1")
          expect(fast.headers.has("ratelimit-limit")).toBe(false) // no user, no count: authentication comes first
        }
      }))
  })

  layer(server(3), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("past the general limit: the same 429 envelope and RateLimit headers on both paths", () =>
      Effect.gen(function*() {
        const session = yield* signup()
        expect((yield* compare(session.accessToken)).status).toBe(200) // requests 1 and 2 of 3
        expect((yield* me(session.accessToken)).status).toBe(200) // 3 of 3
        const refused = yield* compare(session.accessToken)
        expect(refused.status).toBe(429)
        expect((refused.body as { error: { code: string } }).error.code).toBe("rate_limited")
        expect(refused.fast.headers.get("retry-after")).toMatch(/^\d+$/)
        expect(refused.fast.headers.get("ratelimit-remaining")).toBe("0")
      }))
  })
})
