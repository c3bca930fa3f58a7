import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { request as httpRequest } from "node:http"
import { pglite } from "../support/TestDatabase.js"
import { TestApiLive } from "../support/TestApi.js"
import { apiClient, json, request, TestServer } from "../support/TestServer.js"

const allowedOrigin = "https://app.compilar.test"

const server = TestServer.layer({
  database: pglite.layer,
  api: TestApiLive,
  config: { corsOrigins: [allowedOrigin, "http://localhost:5173"], bodyLimitBytes: 2048 }
})

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body })

describe("HTTP edge", () => {
  layer(server, { timeout: 120_000 })((it) => {
    it.effect("health answers through the derived client", () =>
      Effect.gen(function*() {
        const client = yield* apiClient
        const health = yield* client.health.health()
        expect(health.status).toBe("ok")
        expect(health.checks["database"]?.status).toBe("up")
        expect(health.version).toMatch(/^\d+\.\d+\.\d+/)
      }))

    it.effect("every response carries a request id; a plain caller-supplied one is kept", () =>
      Effect.gen(function*() {
        const generated = yield* request("/health")
        expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
        const kept = yield* request("/health", { headers: { "x-request-id": "trace-abc.123" } })
        expect(kept.headers.get("x-request-id")).toBe("trace-abc.123")
        const replaced = yield* request("/health", { headers: { "x-request-id": "bad id with spaces <script>" } })
        expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
      }))

    it.effect("unknown API route → 404 envelope with the same request id as the header", () =>
      Effect.gen(function*() {
        const response = yield* request("/api/v1/nothing-here", { headers: { "x-request-id": "req-404" } })
        expect(response.status).toBe(404)
        expect(response.headers.get("content-type")).toContain("application/json")
        expect(yield* json(response)).toEqual({
          error: { code: "route_not_found", message: "No route for GET /api/v1/nothing-here.", requestId: "req-404" }
        })
      }))

    it.effect("malformed JSON → 400 malformed_json envelope", () =>
      Effect.gen(function*() {
        const response = yield* postJson("/test/echo", "{\"name\": \"ada\",", { "x-request-id": "req-bad-json" })
        expect(response.status).toBe(400)
        const body = yield* json(response)
        expect(body).toMatchObject({ error: { code: "malformed_json", requestId: "req-bad-json" } })
      }))

    it.effect("schema violations → 400 validation_failed naming each field", () =>
      Effect.gen(function*() {
        const response = yield* postJson("/test/echo", JSON.stringify({ name: "  ", count: 11 }))
        expect(response.status).toBe(400)
        const body = (yield* json(response)) as { error: { code: string; details: Array<{ path: string }> } }
        expect(body.error.code).toBe("validation_failed")
        expect(body.error.details.map((d) => d.path).sort()).toEqual(["count", "name"])
      }))

    it.effect("a valid body passes the edge untouched", () =>
      Effect.gen(function*() {
        const response = yield* postJson("/test/echo", JSON.stringify({ name: "ada", count: 2 }))
        expect(response.status).toBe(200)
        expect(yield* json(response)).toEqual({ greeting: "hello ada x2" })
      }))

    it.effect("declared body over the limit → 413 before the body is read", () =>
      Effect.gen(function*() {
        const response = yield* postJson("/test/echo", JSON.stringify({ name: "x".repeat(4000), count: 1 }))
        expect(response.status).toBe(413)
        expect(yield* json(response)).toMatchObject({ error: { code: "payload_too_large" } })
      }))

    it.effect("a chunked body without Content-Length → 411 length_required", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        // No content-length: the size is unknown until read, so the edge refuses it up front.
        const { status, body } = yield* Effect.async<{ status: number; body: string }, Error>((resume) => {
          const req = httpRequest(`${url}/test/echo`, {
            method: "POST",
            headers: { "content-type": "application/json", "transfer-encoding": "chunked" }
          }, (res) => {
            let text = ""
            res.on("data", (chunk: Buffer) => (text += chunk.toString()))
            res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, body: text })))
          })
          req.on("error", () => {
            // The server may close the socket while we are still writing: the response decides.
          })
          req.write(JSON.stringify({ name: "x".repeat(4000), count: 1 }))
          req.end()
        })
        expect(status).toBe(411)
        expect(JSON.parse(body)).toMatchObject({ error: { code: "length_required" } })
      }))

    it.effect("a body that is not JSON → 415 unsupported_media_type; JSON with a charset passes", () =>
      Effect.gen(function*() {
        const form = yield* request("/test/echo", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "name=ada&count=2"
        })
        expect(form.status).toBe(415)
        expect(yield* json(form)).toMatchObject({ error: { code: "unsupported_media_type" } })
        const withCharset = yield* postJson("/test/echo", JSON.stringify({ name: "ada", count: 2 }), {
          "content-type": "application/json; charset=utf-8"
        })
        expect(withCharset.status).toBe(200)
      }))

    it.effect("a defect becomes a 500 internal_error envelope without leaking the cause", () =>
      Effect.gen(function*() {
        const response = yield* request("/test/boom")
        expect(response.status).toBe(500)
        const text = yield* Effect.promise(() => response.text())
        expect(JSON.parse(text)).toMatchObject({ error: { code: "internal_error" } })
        expect(text).not.toContain("kaboom")
      }))

    it.effect("JSON answers carry the short OWASP REST set of security headers (HSTS travels on documents), and no-store", () =>
      Effect.gen(function*() {
        for (const path of ["/health", "/api/v1/nothing-here"]) {
          const response = yield* request(path)
          expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'")
          expect(response.headers.get("x-content-type-options")).toBe("nosniff")
          expect(response.headers.get("strict-transport-security")).toBeNull()
          expect(response.headers.get("cache-control")).toBe("no-store")
        }
      }))

    it.effect("HTML documents carry the full set with the app's CSP", () =>
      Effect.gen(function*() {
        const response = yield* request("/docs")
        const csp = response.headers.get("content-security-policy") ?? ""
        expect(csp).toContain("default-src 'self'")
        expect(csp).toContain("script-src 'self'")
        expect(csp).toContain("frame-ancestors 'none'")
        expect(csp).not.toContain("unsafe-inline")
        expect(response.headers.get("x-frame-options")).toBe("DENY")
        expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin")
        expect(response.headers.get("strict-transport-security")).toContain("max-age=")
        expect(response.headers.get("cache-control")).toBeNull()
      }))

    it.effect("the fast path and the platform path answer /health alike", () =>
      Effect.gen(function*() {
        const fast = yield* request("/health", { headers: { origin: allowedOrigin, "x-request-id": "same-1" } })
        // A query string is not an exact fast-route match: this one goes through the platform.
        const platform = yield* request("/health?via=platform", { headers: { origin: allowedOrigin, "x-request-id": "same-1" } })
        expect(fast.status).toBe(platform.status)
        const keys = (r: Response) => [...r.headers.keys()].filter((k) => k !== "date" && k !== "content-length").sort()
        expect(keys(fast)).toEqual(keys(platform))
        for (const key of keys(fast)) expect(fast.headers.get(key)).toBe(platform.headers.get(key))
        const [a, b] = [(yield* json(fast)) as { uptimeSeconds: number }, (yield* json(platform)) as { uptimeSeconds: number }]
        expect({ ...a, uptimeSeconds: 0 }).toEqual({ ...b, uptimeSeconds: 0 })
      }))

    it.effect("CORS: an allowed origin is echoed with credentials", () =>
      Effect.gen(function*() {
        const response = yield* request("/health", { headers: { origin: allowedOrigin } })
        expect(response.headers.get("access-control-allow-origin")).toBe(allowedOrigin)
        expect(response.headers.get("access-control-allow-credentials")).toBe("true")
        expect(response.headers.get("access-control-expose-headers")).toContain("x-request-id")
      }))

    it.effect("CORS: another origin gets no allow header, and never a wildcard", () =>
      Effect.gen(function*() {
        const response = yield* request("/health", { headers: { origin: "https://evil.example" } })
        expect(response.headers.get("access-control-allow-origin")).toBeNull()
        const preflight = yield* request("/health", {
          method: "OPTIONS",
          headers: { origin: "https://evil.example", "access-control-request-method": "GET" }
        })
        expect(preflight.headers.get("access-control-allow-origin")).toBeNull()
      }))

    it.effect("CORS: preflight from an allowed origin lists methods and headers", () =>
      Effect.gen(function*() {
        const preflight = yield* request("/api/v1/anything", {
          method: "OPTIONS",
          headers: {
            origin: "http://localhost:5173",
            "access-control-request-method": "PUT",
            "access-control-request-headers": "content-type, idempotency-key"
          }
        })
        expect(preflight.status).toBe(204)
        expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:5173")
        expect(preflight.headers.get("access-control-allow-methods")).toContain("PUT")
        expect(preflight.headers.get("access-control-allow-headers")).toContain("idempotency-key")
      }))

    it.effect("/docs/openapi.json documents the error envelope and every error code", () =>
      Effect.gen(function*() {
        const response = yield* request("/docs/openapi.json")
        expect(response.status).toBe(200)
        const spec = (yield* json(response)) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } }
        expect(Object.keys(spec.paths)).toContain("/health")
        const text = JSON.stringify(spec)
        // The platform's own decode-error body is never sent, so it is not documented either.
        expect(text).not.toContain("HttpApiDecodeError")
        for (const code of ["route_not_found", "validation_failed", "malformed_json", "service_unavailable"]) {
          expect(text).toContain(`"${code}"`)
        }
        const docs = yield* request("/docs")
        expect(docs.headers.get("content-type")).toContain("text/html")
        expect(yield* Effect.promise(() => docs.text())).toContain("/docs/openapi.json")
      }))
  })
})
