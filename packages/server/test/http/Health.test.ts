import { type LlmFake, start } from "@compilar/llm-fake"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { describe, expect, layer } from "@effect/vitest"
import { ConfigProvider, Context, Duration, Effect, Layer, Option, Schedule } from "effect"
import { Pglite } from "../../src/Database/PgliteClient.js"
import { layerPglite, layerPostgres } from "../../src/Database.js"
import { Llm } from "../../src/Llm.js"
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

interface LlmRow {
  readonly provider: string
  readonly family: string
  readonly state: string
  readonly consecutiveFailures: number
  readonly retryAfterMs?: number
}
const llmOf = (response: RawResponse) =>
  (JSON.parse(response.body) as { llm: { providers: Array<string>; breakers: Array<LlmRow> } }).llm

describe("/health and the LLM breakers", () => {
  layer(TestServer.layer({ database: layerPglite() }), { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("with no key configured: the offline provider alone, its breakers closed", () =>
      Effect.gen(function*() {
        const response = yield* health("health-llm-offline")
        expect(response.status).toBe(200)
        expect(llmOf(response)).toEqual({
          providers: ["offline"],
          breakers: [
            { provider: "offline", family: "chat", state: "closed", consecutiveFailures: 0 },
            { provider: "offline", family: "stream", state: "closed", consecutiveFailures: 0 }
          ]
        })
      }))
  })

  /** llm-fake for the server's OpenAI provider, then offline. */
  class Fake extends Context.Tag("test/LlmFake")<Fake, LlmFake>() {}
  const fake = Layer.scoped(
    Fake,
    Effect.acquireRelease(Effect.promise(() => start({ port: 0 })), (f) => Effect.promise(() => f.close()))
  )
  const llm = Layer.unwrapEffect(Effect.map(Fake, (f) =>
    Llm.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
      new Map([["OPENAI_API_KEY", "sk-test"], ["OPENAI_BASE_URL", f.openaiBaseUrl], ["LLM_PROVIDERS", "openai,offline"]])
    ))))
  )).pipe(Layer.provide(fake), Layer.orDie)
  // The server and the test share one Llm and one fake (the same layer values are built once).
  const server = Layer.mergeAll(TestServer.layer({ database: layerPglite(), llm }), llm, fake)

  layer(server, { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("a breaker opened by a refused key shows open, and /health still answers 200", () =>
      Effect.gen(function*() {
        const before = yield* health("health-llm-before")
        expect(before.status).toBe(200)
        expect(llmOf(before).providers).toEqual(["openai", "offline"])
        expect(llmOf(before).breakers.map((b) => `${b.provider}:${b.family}:${b.state}`)).toEqual([
          "openai:chat:closed",
          "openai:stream:closed",
          "offline:chat:closed",
          "offline:stream:closed"
        ])

        const f = yield* Fake
        f.script.next({ kind: "error", error: "unauthorized" }, { match: { provider: "openai" } })
        const answer = yield* (yield* Llm).chat({ messages: [{ role: "user", content: "What is trust?" }] })
        expect(answer.provider).toBe("offline")

        // The report is shared for a second: ask until it shows the breaker open.
        const after = yield* health("health-llm-after").pipe(
          Effect.filterOrFail(
            (r) => llmOf(r).breakers.some((b) => b.provider === "openai" && b.family === "chat" && b.state === "open"),
            () => new Error("openai:chat not open yet")
          ),
          Effect.retry(Schedule.spaced("100 millis")),
          Effect.timeout("5 seconds")
        )
        expect(after.status).toBe(200)
        expect(JSON.parse(after.body).status).toBe("ok")
        const open = llmOf(after).breakers.find((b) => b.provider === "openai" && b.family === "chat")
        expect(open).toEqual({
          provider: "openai",
          family: "chat",
          state: "open",
          consecutiveFailures: 1,
          retryAfterMs: expect.any(Number)
        })
        expect(open?.retryAfterMs).toBeGreaterThan(50_000)
        expect(open?.retryAfterMs).toBeLessThanOrEqual(60_000)
        expect(f.journal.entries({ provider: "openai" })).toHaveLength(1)
      }))
  })
})
