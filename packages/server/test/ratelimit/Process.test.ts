import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Redacted, Schedule } from "effect"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { rawRequest } from "../support/RawHttp.js"
import { jsonLogLines, spawnApp } from "../support/SpawnedApp.js"
import { freshRedis, inspector, redisUrl } from "../support/TestRedis.js"

/** The real entry point reading the rate-limit and Redis variables, as an operator runs it. */

const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "compilar-ratelimit-"))),
  (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
)

/** Start-up refused: exit 1, and the lines of stderr that name `variable`. */
const refusedWith = (env: Record<string, string>, variable: string) =>
  Effect.gen(function*() {
    const app = yield* spawnApp({ HOST: "127.0.0.1", PORT: "0", DATA_DIR: yield* tempDir, ...env })
    const code = yield* app.exited.pipe(
      Effect.timeoutFail({ duration: Duration.seconds(90), onTimeout: () => new Error("still running after 90 s") })
    )
    expect(code).toBe(1)
    const lines = app.stderr().split("\n")
    expect(lines[0]).toBe("Invalid configuration:")
    return lines.filter((line) => line.trimStart().startsWith(`${variable}: `))
  })

describe("the server process, rate-limit configuration", () => {
  // One variable is enough here (each is checked in process by ratelimit/Config.test.ts); a process start is slow.
  it.scopedLive("refuses a malformed REDIS_URL before touching the database, naming the variable", () =>
    Effect.gen(function*() {
      const [line] = yield* refusedWith({ REDIS_URL: "localhost:6379" }, "REDIS_URL")
      expect(line).toContain("redis://")
    }), 120_000)

  it.scopedLive.runIf(redisUrl !== undefined)(
    "with REDIS_URL: counts in Redis under REDIS_KEY_PREFIX, per forwarded client behind TRUSTED_PROXIES",
    () =>
      Effect.gen(function*() {
        const settings = yield* freshRedis()
        const dataDir = yield* tempDir
        const app = yield* spawnApp({
          PORT: "0",
          HOST: "127.0.0.1",
          DATA_DIR: dataDir,
          LOG_LEVEL: "Info",
          ACCESS_LOG: "false",
          REDIS_URL: Redacted.value(settings.url),
          REDIS_KEY_PREFIX: settings.keyPrefix,
          TRUSTED_PROXIES: "loopback",
          RATE_LIMIT_GENERAL_PER_MINUTE: "2"
        })
        // First boot on a new directory creates, migrates and seeds the database: up to 90 s,
        // more on a machine busy with other work.
        const url = yield* Effect.suspend(() => {
          const listening = jsonLogLines(app.stdout())
            .map((line) => /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(line["message"]))?.[1])
            .find((found) => found !== undefined)
          if (listening !== undefined) return Effect.succeed(listening)
          if (app.process.exitCode !== null) {
            return Effect.die(new Error(`the server exited early (${app.process.exitCode}):\n${app.stderr()}${app.stdout()}`))
          }
          return Effect.fail("not listening yet")
        }).pipe(
          Effect.retry(Schedule.spaced("100 millis")),
          Effect.timeoutFail({
            duration: Duration.seconds(150),
            onTimeout: () => new Error(`no "Listening on" within 150 s:\n${app.stderr()}${app.stdout()}`)
          })
        )
        expect(jsonLogLines(app.stdout()).some((line) => String(line["message"]).startsWith("Redis: connected to"))).toBe(true)

        const modes = () => rawRequest(url, "/api/v1/pilar/modes", { headers: { "x-forwarded-for": "203.0.113.9" } })
        const statuses = []
        for (let i = 0; i < 3; i++) statuses.push((yield* modes()).status)
        expect(statuses).toEqual([200, 200, 429])
        const client = yield* inspector
        const count = yield* Effect.promise(() => client.get(`${settings.keyPrefix}ratelimit:general:ip:203.0.113.9`))
        expect(count).toBe("3")
        const health = yield* rawRequest(url, "/health")
        expect(JSON.parse(health.body)).toMatchObject({ status: "ok", checks: { redis: { status: "up" } } })
        // Shutdown is Shutdown.test.ts's subject; the process is killed with the scope.
      }),
    240_000
  )
})
