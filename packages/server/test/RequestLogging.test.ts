import { describe, expect, layer } from "@effect/vitest"
import { Array as Arr, Cause, Effect, Fiber, HashMap, Layer, Logger, LogLevel } from "effect"
import { makeInFlight } from "./support/InFlight.js"
import { rawRequest } from "./support/RawHttp.js"
import { stubDatabase } from "./support/StubDatabase.js"
import { TestApiLive } from "./support/TestApi.js"
import { TestServer } from "./support/TestServer.js"
import type { AccessEntry } from "../src/Http/AccessLog.js"

/**
 * The access log and error logs of the HTTP edge, captured by a logger that replaces the
 * default one. The request fibers are forked from the runtime captured when the server
 * layer is built, so the logger must be in place *before* that build: it is provided to
 * the server layer (`Layer.provide`). Merged beside it (`Layer.merge`) or provided to the
 * test's effect, it would never see a request's log.
 */
interface Entry {
  readonly level: LogLevel.LogLevel
  readonly message: ReadonlyArray<unknown>
  readonly annotations: Readonly<Record<string, unknown>>
  readonly cause: Cause.Cause<unknown>
}

const entries: Array<Entry> = []

const capture = Logger.replace(
  Logger.defaultLogger,
  Logger.make(({ annotations, cause, logLevel, message }) => {
    entries.push({
      level: logLevel,
      message: Arr.ensure(message),
      annotations: Object.fromEntries(HashMap.toEntries(annotations)),
      cause
    })
  })
)

const inFlight = Effect.runSync(makeInFlight)

const accessLines: Array<AccessEntry> = []

const server = TestServer.layer({
  database: stubDatabase,
  api: Layer.merge(TestApiLive, inFlight.layer),
  accessLog: accessLines
}).pipe(Layer.provide(capture))

const withRequestId = (requestId: string) => entries.filter((entry) => entry.annotations["requestId"] === requestId)
const accessFor = (requestId: string) => accessLines.filter((line) => line.requestId === requestId)

describe("request logging", () => {
  // The server runs on the live clock and services, as in production (no TestClock under its fibers).
  layer(server, { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("one access-log line per request with the request id, method, path, status and duration", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        // Both paths: the platform (a query string) and the fast route (exact /health).
        for (const [path, requestId] of [["/health?probe=1", "log-me-1"], ["/health", "log-me-fast"]] as const) {
          const response = yield* rawRequest(url, path, { headers: { "x-request-id": requestId } })
          expect(response.status).toBe(200)
          // The line is recorded before the response leaves, so it is there once the response has arrived.
          const lines = accessFor(requestId)
          expect(lines).toHaveLength(1)
          expect(lines[0]).toMatchObject({ requestId, method: "GET", path, status: 200 })
          expect(lines[0]?.durationMs).toEqual(expect.any(Number))
          expect(lines[0]?.durationMs).toBeGreaterThanOrEqual(0)
        }
      }))

    it.effect("error responses are logged with their status too", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        const response = yield* rawRequest(url, "/api/v1/nothing", { headers: { "x-request-id": "log-me-404" } })
        expect(response.status).toBe(404)
        expect(accessFor("log-me-404")).toEqual([
          expect.objectContaining({ method: "GET", path: "/api/v1/nothing", status: 404 })
        ])
      }))

    it.effect("a defect is logged as an error carrying the request id the response names, with its cause", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        const response = yield* rawRequest(url, "/test/boom")
        expect(response.status).toBe(500)
        expect(response.body).not.toContain("kaboom")
        const requestId = response.headers["x-request-id"]
        expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
        const logged = withRequestId(String(requestId))
        const errors = logged.filter((entry) => entry.level === LogLevel.Error)
        expect(errors).toHaveLength(1)
        expect(Cause.pretty(errors[0]!.cause)).toContain("kaboom")
        // …and the access log line for the same request says 500.
        expect(accessFor(String(requestId)).map((line) => line.status)).toEqual([500])
      }))

    it.effect("a client that goes away mid-request is not logged as an error", () =>
      Effect.gen(function*() {
        const { url } = yield* TestServer
        const client = yield* Effect.fork(
          rawRequest(url, "/test/slow?ms=5000", { headers: { "x-request-id": "log-abort-1" } })
        )
        const { fiber } = yield* inFlight.started("/test/slow?ms=5000")
        yield* Fiber.interrupt(client) // destroys the request's socket
        yield* Fiber.await(fiber) // the server is done with the request, its logs included
        expect(withRequestId("log-abort-1").filter((entry) => entry.level === LogLevel.Error)).toEqual([])
      }))
  })
})
