import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Option, Schedule } from "effect"
import { Pglite } from "../../src/Database/PgliteClient.js"
import { layerPglite, layerPostgres } from "../../src/Database.js"
import { rawRequest, type RawResponse } from "../support/RawHttp.js"
import { tcpProxy } from "../support/TcpProxy.js"
import { type DatabaseName, databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"

/**
 * /health against a database that really goes away: PGlite closed under the server, or the
 * TCP path to PostgreSQL cut (a proxy between the pool and the server, stopped and its
 * sockets destroyed) and then restored.
 */

/** Takes the server's database down for real, and (where possible) brings it back. */
class Outage extends Context.Tag("test/Outage")<Outage, {
  readonly down: Effect.Effect<void>
  readonly up: Option.Option<Effect.Effect<void, Error>>
}>() {}

const pgliteWithOutage: Layer.Layer<SqlClient.SqlClient | Outage, SqlError> = Layer.effect(
  Outage,
  Effect.map(Pglite, (db) => ({ down: Effect.promise(() => db.close()), up: Option.none() }))
).pipe(Layer.provideMerge(layerPglite()))

/**
 * PostgreSQL behind a proxy. Only `select 1` runs here, so the server's own database is used
 * as it is (nothing is created in it).
 */
const postgresWithOutage = (serverUrl: string): Layer.Layer<SqlClient.SqlClient | Outage, SqlError | Error> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const target = new URL(serverUrl)
    const proxy = yield* tcpProxy({ host: target.hostname, port: Number(target.port || "5432") })
    const viaProxy = new URL(serverUrl)
    viaProxy.hostname = "127.0.0.1"
    viaProxy.port = String(proxy.port)
    return Layer.merge(
      layerPostgres(viaProxy.toString()),
      Layer.succeed(Outage, { down: proxy.down, up: Option.some(proxy.up) })
    )
  }))

const databaseWithOutage = (name: DatabaseName) => {
  if (name === "pglite") return pgliteWithOutage
  const url = process.env["DATABASE_URL"]?.trim()
  if (url === undefined || url === "") throw new Error("the postgres test database needs DATABASE_URL")
  return postgresWithOutage(url)
}

/** The server over that database, with the database's `Outage` handle beside it (built once: same layer value). */
const serverWithOutage = (name: DatabaseName) => {
  const database = databaseWithOutage(name)
  return Layer.merge(TestServer.layer({ database }), database)
}

const health = (requestId: string) =>
  Effect.flatMap(TestServer, ({ url }) => rawRequest(url, "/health", { headers: { "x-request-id": requestId } }))

/** The probe result is cached for a second: ask until the answer has the status wanted (10 s at most). */
const healthUntil = (status: number, requestId: string) =>
  health(requestId).pipe(
    Effect.filterOrFail(
      (response: RawResponse) => response.status === status,
      (response) => new Error(`/health answered ${response.status}`)
    ),
    Effect.retry(Schedule.spaced("100 millis")),
    Effect.timeoutFail({
      duration: Duration.seconds(10),
      onTimeout: () => new Error(`/health did not answer ${status} within 10 s`)
    })
  )

describe.each(databases.map(({ name }) => ({ name })))("/health on $name", ({ name }) => {
  layer(serverWithOutage(name), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("answers 200 with the database up", () =>
      Effect.gen(function*() {
        const response = yield* health("health-up-1")
        expect(response.status).toBe(200)
        expect(response.headers["x-request-id"]).toBe("health-up-1")
        const body = JSON.parse(response.body) as { status: string; checks: Record<string, { status: string; latencyMs: number }> }
        expect(body.status).toBe("ok")
        expect(body.checks["database"]?.status).toBe("up")
        expect(body.checks["database"]?.latencyMs).toBeGreaterThanOrEqual(0)
      }))

    it.effect("answers 503 service_unavailable naming checks.database once the database is gone", () =>
      Effect.gen(function*() {
        const outage = yield* Outage
        yield* outage.down
        const response = yield* healthUntil(503, "health-down-1")
        expect(response.headers["content-type"]).toContain("application/json")
        expect(response.headers["x-request-id"]).toBe("health-down-1")
        expect(JSON.parse(response.body)).toEqual({
          error: {
            code: "service_unavailable",
            message: expect.any(String),
            details: [{ path: "checks.database", message: expect.stringMatching(/^Database /) }],
            requestId: "health-down-1"
          }
        })
      }))

    it.effect("answers 200 again once the database is back (where it can come back)", () =>
      Effect.gen(function*() {
        const outage = yield* Outage
        if (Option.isNone(outage.up)) return // a closed PGlite instance cannot be reopened
        yield* outage.up.value
        const response = yield* healthUntil(200, "health-back-1")
        const body = JSON.parse(response.body) as { checks: Record<string, { status: string }> }
        expect(body.checks["database"]?.status).toBe("up")
      }))
  })
})
