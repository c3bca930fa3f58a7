import { Api } from "@compilar/domain"
import { describe, expect, layer } from "@effect/vitest"
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Layer, LogLevel } from "effect"
import { AssessmentsHttpLive } from "../../src/Assessments/Http.js"
import { AuthHttpLive } from "../../src/Auth/Http.js"
import { CoachingHttpLive } from "../../src/Coaching/Http.js"
import { HealthHttpLive } from "../../src/Health/Http.js"
import { PilarHttpLive } from "../../src/Pilar/Http.js"
import { learner, seededDatabase } from "../assessments/support.js"
import { databases } from "../support/TestDatabase.js"
import { platformTwin, TestServer } from "../support/TestServer.js"
import { withoutWait } from "../support/RefusalWait.js"

/**
 * `POST /api/v1/rag/query` is served by node:http directly (Knowledge/FastSearch.ts). Every
 * outcome must be the platform route's: the same request sent to a server with the fast path
 * and to one without it (over the same database, each with its own rate-limit counters) gets
 * the same status, body and headers, rate-limit headers included.
 */

const origin = "https://app.compilar.test"
/** Requests per minute per client address: enough for the cases below, then exhausted on purpose. */
const limit = 60
const options = {
  config: { bodyLimitBytes: 4096, corsOrigins: [origin] },
  rateLimits: { generalPerMinute: limit },
  // Each case says which client it is (X-Forwarded-For), so clients have separate counters.
  trustedProxies: ["loopback"]
} as const

/** Headers that may differ between two answers given a moment apart, by two servers started apart. */
const volatile = new Set(["date", "ratelimit-reset", "retry-after"])

interface Case {
  readonly name: string
  readonly body: string
  readonly headers?: Record<string, string>
  readonly path?: string
  readonly method?: string
}

interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers: Record<string, string | null>
  readonly retryAfter: boolean
}

const send = (base: string, c: Case, client: string) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(`${base}${c.path ?? "/api/v1/rag/query"}`, {
      method: c.method ?? "POST",
      headers: {
        "content-type": "application/json",
        origin,
        "x-request-id": "search-case-1",
        "x-forwarded-for": client,
        ...c.headers
      },
      ...(c.method === "GET" ? {} : { body: c.body })
    })
    const text = await response.text()
    const keys = [...response.headers.keys()].filter((key) => !volatile.has(key)).sort()
    return {
      status: response.status,
      body: text === "" ? undefined : withoutWait(JSON.parse(text)),
      headers: Object.fromEntries(keys.map((key) => [key, response.headers.get(key)])),
      retryAfter: response.headers.has("retry-after")
    }
  })

const query = (payload: unknown): string => JSON.stringify(payload)

describe.each(databases)("POST /api/v1/rag/query on the fast path ($name)", ({ layer: database }) => {
  const db = seededDatabase(database)
  const fast = TestServer.layer({ database: db, ...options }).pipe(Layer.provideMerge(db))

  layer(fast, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("answers every kind of request exactly as the platform route does", () =>
      Effect.scoped(Effect.gen(function*() {
        const { url: fastUrl } = yield* TestServer
        const platformUrl = yield* platformTwin(options)
        const ada = yield* learner("ada")
        const signedIn = { authorization: `Bearer ${ada.token}` }

        const compare = (c: Case, client: string) =>
          Effect.gen(function*() {
            const viaPlatform = yield* send(platformUrl, c, client)
            const viaFast = yield* send(fastUrl, c, client)
            expect(viaFast, c.name).toEqual(viaPlatform)
            return viaFast
          })

        const cases: ReadonlyArray<Case> = [
          { name: "valid", body: query({ query: "What does Scapegoating mean?" }) },
          { name: "signed in", body: query({ query: "trust in a team" }), headers: signedIn },
          { name: "a bad token (the group does not authenticate)", body: query({ query: "trust" }), headers: { authorization: "Bearer nope" } },
          { name: "pillar", body: query({ query: "trust", pillar: "grpprosp" }) },
          { name: "mode", body: query({ query: "trust", mode: "hierarchical" }) },
          { name: "category", body: query({ query: "trust", category: "connection" }) },
          { name: "every filter", body: query({ query: "blame", pillar: "grpprosp", mode: "egalitarian", category: "connection" }) },
          { name: "limit 1", body: query({ query: "status", limit: 1 }) },
          { name: "limit 50", body: query({ query: "status", limit: 50 }) },
          { name: "threshold", body: query({ query: "reciprocity", threshold: 0.3 }) },
          { name: "threshold 1", body: query({ query: "reciprocity", threshold: 1 }) },
          { name: "padded query", body: query({ query: "  popularity \n" }) },
          { name: "2,000 characters", body: query({ query: "a".repeat(2000) }) },
          { name: "an extra field", body: query({ query: "trust", page: 2 }) },
          { name: "charset", body: query({ query: "trust" }), headers: { "content-type": "application/json; charset=utf-8" } },
          { name: "empty query", body: query({ query: "" }) },
          { name: "whitespace query", body: query({ query: "  \n\t " }) },
          { name: "overlong query", body: query({ query: "a".repeat(2001) }) },
          { name: "no query", body: query({ limit: 5 }) },
          { name: "query as a number", body: query({ query: 7 }) },
          { name: "unknown pillar", body: query({ query: "trust", pillar: "nope" }) },
          { name: "unknown mode", body: query({ query: "trust", mode: "anarchic" }) },
          { name: "unknown category", body: query({ query: "trust", category: "gossip" }) },
          { name: "limit 0", body: query({ query: "trust", limit: 0 }) },
          { name: "limit 51", body: query({ query: "trust", limit: 51 }) },
          { name: "limit 2.5", body: query({ query: "trust", limit: 2.5 }) },
          { name: "limit as text", body: query({ query: "trust", limit: "10" }) },
          { name: "threshold 1.5", body: query({ query: "trust", threshold: 1.5 }) },
          { name: "several bad fields", body: query({ query: "", mode: "x", limit: 99, threshold: -1 }) },
          { name: "not JSON", body: `{query:"trust"` },
          { name: "not JSON that mentions a size", body: `{size:10}` },
          { name: "an array", body: `["trust"]` },
          { name: "null", body: `null` },
          { name: "a string", body: `"trust"` },
          { name: "text/plain", body: query({ query: "trust" }), headers: { "content-type": "text/plain" } },
          { name: "a JSON media type HttpApi reads as bytes", body: query({ query: "trust" }), headers: { "content-type": "application/vnd.api+json" } },
          { name: "over the body limit", body: query({ query: "trust", pad: "x".repeat(5000) }) },
          { name: "empty body", body: "" },
          { name: "query string", body: query({ query: "trust" }), path: "/api/v1/rag/query?x=1" },
          { name: "trailing slash", body: query({ query: "trust" }), path: "/api/v1/rag/query/" },
          { name: "GET", body: "", method: "GET" }
        ]
        const statuses = new Map<string, number>()
        for (const c of cases) statuses.set(c.name, (yield* compare(c, "203.0.113.1")).status)
        // The cases reached what they were meant to: searches, refusals of each kind.
        expect(statuses.get("valid")).toBe(200)
        expect(statuses.get("every filter")).toBe(200)
        expect(statuses.get("limit 2.5")).toBe(400)
        expect(statuses.get("not JSON")).toBe(400)
        expect(statuses.get("not JSON that mentions a size")).toBe(400)
        expect(statuses.get("text/plain")).toBe(415)
        expect(statuses.get("over the body limit")).toBe(413)
        expect([...statuses.values()].filter((status) => status === 200).length).toBeGreaterThanOrEqual(15)

        // Past the limit: per client address, signed in or not; the limit is checked before the body.
        const valid: Case = { name: "valid", body: query({ query: "trust" }) }
        let remaining = limit
        for (let i = 0; i < limit && remaining > 0; i++) {
          const answer = yield* compare({ ...valid, name: `request ${i + 1}` }, "203.0.113.2")
          expect(answer.status).toBe(200)
          remaining = Number(answer.headers["ratelimit-remaining"])
        }
        expect(remaining).toBe(0)
        const refused = [
          yield* compare({ ...valid, name: "refused" }, "203.0.113.2"),
          yield* compare({ ...valid, name: "refused, signed in", headers: signedIn }, "203.0.113.2"),
          yield* compare({ name: "refused before the body is read", body: `{query:` }, "203.0.113.2"),
          // Whatever a client wrote left of what our proxy appended is ignored.
          yield* compare({ ...valid, name: "refused, spoofing" }, "198.51.100.7, 203.0.113.2")
        ]
        for (const answer of refused) {
          expect(answer.status).toBe(429)
          expect(answer.body).toMatchObject({ error: { code: "rate_limited" } })
          expect(answer.retryAfter).toBe(true)
          expect(answer.headers["ratelimit-remaining"]).toBe("0")
        }
        // Another client is still served.
        expect((yield* compare({ ...valid, name: "another client" }, "203.0.113.2, 203.0.113.3")).status).toBe(200)
      })))
  })
})

/**
 * The comparison above would also pass if the fast route were never taken. Here the platform's
 * own search handler fails: a search that succeeds was answered by the fast path.
 */
describe("POST /api/v1/rag/query bypasses the platform", () => {
  const brokenRag = HttpApiBuilder.group(Api, "rag", (handlers) =>
    handlers.handle("query", () => Effect.dieMessage("the platform route was used")))
  const api = HttpApiBuilder.api(Api).pipe(
    Layer.provide(Layer.mergeAll(HealthHttpLive, PilarHttpLive, brokenRag, AuthHttpLive, AssessmentsHttpLive, CoachingHttpLive))
  )
  const db = seededDatabase(databases[0]!.layer)

  // The platform route's failure is expected here: not logged.
  layer(TestServer.layer({ database: db, api, logLevel: LogLevel.None }), { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("a search is answered by the fast route; the same request with a query string is not", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        const post = (path: string) =>
          Effect.promise(() =>
            fetch(`${url}${path}`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: query({ query: "What does Scapegoating mean?", limit: 5 })
            })
          )
        const fast = yield* post("/api/v1/rag/query")
        expect(fast.status).toBe(200)
        const found = (yield* Effect.promise(() => fast.json())) as { results: Array<{ id: string }> }
        expect(found.results.map((r) => r.id)).toContain("connection:ecp-04")
        expect((yield* post("/api/v1/rag/query?via=platform")).status).toBe(500)
      }))
  })
})
