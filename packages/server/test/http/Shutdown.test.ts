import { describe, expect, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Fiber, Layer, Option, Schedule, Scope } from "effect"
import { mkdtemp, rm } from "node:fs/promises"
import { Agent } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { ServerConfigShape } from "../../src/Config.js"
import { makeInFlight } from "../support/InFlight.js"
import { type RawHttpError, rawRequest } from "../support/RawHttp.js"
import { jsonLogLines, spawnApp } from "../support/SpawnedApp.js"
import { stubDatabase } from "../support/StubDatabase.js"
import { TestApiLive } from "../support/TestApi.js"
import { TestServer } from "../support/TestServer.js"

/**
 * Graceful shutdown. In process: the server is built in a scope of the test's own, a slow
 * request is put in flight, and the scope is closed under it. Then the real entry point as
 * a process: SIGTERM after start-up, and a bad configuration.
 */

const now = Effect.sync(() => performance.now())

/** The server in a scope of the test's own, and the signal that a request is in flight. */
const startServer = (config: Partial<ServerConfigShape>) =>
  Effect.gen(function*() {
    const signal = yield* makeInFlight
    const scope = yield* Scope.make()
    // Closed by the test itself; this only guarantees it when an assertion fails first.
    yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
    const context = yield* Layer.buildWithScope(
      TestServer.layer({ database: stubDatabase, api: Layer.merge(TestApiLive, signal.layer), config }),
      scope
    )
    const { url } = Context.get(context, TestServer)
    return { url, scope, inFlight: signal.started }
  })

/** A fresh connection is refused (ECONNREFUSED) once the listener is closed; asked again every 10 ms, 3 s at most. */
const refusedConnection = (url: string) =>
  rawRequest(url, "/health").pipe(
    Effect.flip,
    Effect.filterOrFail((error): error is RawHttpError => error.code === "ECONNREFUSED", () => "not refused yet"),
    Effect.retry(Schedule.spaced("10 millis")),
    Effect.timeoutFail({ duration: Duration.seconds(3), onTimeout: () => new Error("new connections were still accepted") })
  )

/**
 * Puts GET /test/slow?ms=800 in flight (over its own connection, or over `agent`'s), closes the
 * server's scope once its handler runs, and checks that new connections are refused while it
 * drains. Returns the response and the timings.
 */
const drain = (options: { readonly shutdownGraceMs: number; readonly agent?: Agent }) =>
  Effect.gen(function*() {
    const { url, scope, inFlight } = yield* startServer({ shutdownGraceMs: options.shutdownGraceMs })
    const slow = yield* Effect.fork(
      Effect.zip(rawRequest(url, "/test/slow?ms=800", options.agent ? { agent: options.agent } : {}), now)
    )
    yield* inFlight("/test/slow?ms=800")
    const closeStarted = yield* now
    const closing = yield* Effect.fork(Effect.zipRight(Scope.close(scope, Exit.void), now))

    const refused = yield* refusedConnection(url)
    expect(refused.code).toBe("ECONNREFUSED")
    // Refused while the slow request is still running and the close still waiting for it.
    expect(Option.isNone(yield* Fiber.poll(slow))).toBe(true)
    expect(Option.isNone(yield* Fiber.poll(closing))).toBe(true)

    const [response, respondedAt] = yield* Fiber.join(slow)
    const closedAt = yield* Fiber.join(closing)
    return { response, respondedAt, closedAt, closeMs: closedAt - closeStarted }
  })

describe("graceful shutdown, in process", () => {
  it.scopedLive("an in-flight request is drained: it completes, new connections are refused, the close waits for it", () =>
    Effect.gen(function*() {
      const { closeMs, closedAt, respondedAt, response } = yield* drain({ shutdownGraceMs: 5_000 })
      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toEqual({ sleptMs: 800 })
      expect(closedAt).toBeGreaterThanOrEqual(respondedAt - 50)
      // It waited for the rest of the 800 ms (the request had barely started)…
      expect(closeMs).toBeGreaterThanOrEqual(600)
      // …and no longer than needed: far from the grace period.
      expect(closeMs).toBeLessThan(2_500)
    }))

  /**
   * A keep-alive client (a browser, a load balancer) must be told to close: otherwise node:http
   * keeps the drained connection idle until keepAliveTimeout (5 s) or the grace deadline, and
   * the close takes that long instead of the request's remaining time.
   */
  it.scopedLive("a keep-alive client is told to close and the drain does not wait for its idle connection", () =>
    Effect.gen(function*() {
      const agent = yield* Effect.acquireRelease(
        Effect.sync(() => new Agent({ keepAlive: true })),
        (agent) => Effect.sync(() => agent.destroy())
      )
      const { closeMs, response } = yield* drain({ shutdownGraceMs: 3_000, agent })
      expect(response.status).toBe(200)
      expect(response.headers["connection"]).toBe("close")
      expect(closeMs).toBeLessThan(2_000)
    }))

  it.scopedLive("past the grace period the remaining connections are cut and the close completes", () =>
    Effect.gen(function*() {
      const { url, scope, inFlight } = yield* startServer({ shutdownGraceMs: 200 })
      const started = yield* now
      const slow = yield* Effect.fork(Effect.either(rawRequest(url, "/test/slow?ms=5000")))
      yield* inFlight("/test/slow?ms=5000")

      const closeStarted = yield* now
      yield* Scope.close(scope, Exit.void)
      const closeMs = (yield* now) - closeStarted
      expect(closeMs).toBeGreaterThanOrEqual(180)
      expect(closeMs).toBeLessThan(1_500)

      const outcome = yield* Fiber.join(slow)
      const cutAfter = (yield* now) - started
      // The connection was cut: no response at all, long before the 5 s the handler wanted.
      expect(outcome._tag).toBe("Left")
      if (outcome._tag === "Left") expect(outcome.left.code).toBe("ECONNRESET")
      expect(cutAfter).toBeLessThan(2_000)
    }))
})

describe("the server process", () => {
  it.scopedLive("starts on embedded PGlite, answers /health, and exits 0 on SIGTERM after logging the shutdown", () =>
    Effect.gen(function*() {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "compilar-process-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      // PORT=0: the OS picks a free port, which the server logs ("Listening on http://…").
      const app = yield* spawnApp({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "Info" })

      // First boot on a new directory creates, migrates and seeds the database: up to 90 s.
      const url = yield* Effect.suspend(() => {
        const listening = jsonLogLines(app.stdout())
          .map((line) => String(line["message"]))
          .map((message) => /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(message)?.[1])
          .find((found) => found !== undefined)
        if (listening !== undefined) return Effect.succeed(listening)
        if (app.process.exitCode !== null) {
          return Effect.die(new Error(`the server exited early (${app.process.exitCode}):\n${app.stderr()}${app.stdout()}`))
        }
        return Effect.fail("not listening yet")
      }).pipe(
        Effect.retry(Schedule.spaced("100 millis")),
        Effect.timeoutFail({
          duration: Duration.seconds(90),
          onTimeout: () => new Error(`no "Listening on" within 90 s:\n${app.stderr()}${app.stdout()}`)
        })
      )

      const health = yield* rawRequest(url, "/health")
      expect(health.status).toBe(200)
      expect(JSON.parse(health.body)).toMatchObject({ status: "ok", checks: { database: { status: "up" } } })

      app.process.kill("SIGTERM")
      const code = yield* app.exited.pipe(
        Effect.timeoutFail({ duration: Duration.seconds(20), onTimeout: () => new Error("no exit within 20 s of SIGTERM") })
      )
      expect(code).toBe(0)
      const shuttingDown = jsonLogLines(app.stdout()).filter((line) => String(line["message"]).includes("shutting down"))
      expect(shuttingDown).toHaveLength(1)
      expect(app.stderr()).toBe("")
    }), 120_000)

  it.scopedLive("refuses to start on a bad configuration: exit 1, one line per bad variable on stderr", () =>
    Effect.gen(function*() {
      const app = yield* spawnApp({ PORT: "abc", CORS_ORIGINS: "nope", HOST: "127.0.0.1" })
      const code = yield* app.exited.pipe(
        Effect.timeoutFail({ duration: Duration.seconds(30), onTimeout: () => new Error("still running after 30 s") })
      )
      expect(code).toBe(1)
      const lines = app.stderr().split("\n")
      expect(lines[0]).toBe("Invalid configuration:")
      const port = lines.filter((line) => /^\s+PORT: /.test(line))
      const cors = lines.filter((line) => /^\s+CORS_ORIGINS: /.test(line))
      expect(port).toHaveLength(1)
      expect(cors).toHaveLength(1)
      expect(cors[0]).toContain("Expected a comma-separated list of origins")
    }), 60_000)
})
