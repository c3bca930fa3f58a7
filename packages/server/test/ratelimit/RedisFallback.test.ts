import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger, LogLevel } from "effect"
import { RateLimiter } from "../../src/RateLimit.js"
import { Redis } from "../../src/Redis.js"
import { tcpProxy } from "../support/TcpProxy.js"
import { freshRedis, inspector, redisTarget, redisUrl, throughProxy } from "../support/TestRedis.js"
import { json, request, TestServer } from "../support/TestServer.js"
import { stubDatabase } from "../support/StubDatabase.js"

const waitMs = (ms: number) => Effect.promise(() => new Promise((resolve) => setTimeout(resolve, ms)))

/** Retries `check` every 50 ms until it holds, for at most `withinMs`. */
const eventually = (check: Effect.Effect<boolean>, withinMs = 5_000) =>
  Effect.gen(function*() {
    const deadline = Date.now() + withinMs
    while (Date.now() < deadline) {
      if (yield* check) return true
      yield* waitMs(50)
    }
    return false
  })

/** Log lines at Info and above, kept in `lines`. */
const capture = (lines: Array<{ level: string; message: string }>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => {
      lines.push({ level: logLevel.label, message: (Array.isArray(message) ? message : [message]).map(String).join(" ") })
    })
  )

describe.runIf(redisUrl !== undefined)("rate limiter when Redis goes away", () => {
  it.live("falls back to memory at once, says so once, and counts in Redis again when it returns", () => {
    const lines: Array<{ level: string; message: string }> = []
    return Effect.scoped(Effect.gen(function*() {
      const proxy = yield* tcpProxy(redisTarget())
      const settings = throughProxy(yield* freshRedis(), proxy.port)
      const context = yield* Layer.build(RateLimiter.redis.pipe(Layer.provide(Redis.layer(settings))))
      const limiter = Context.get(context, RateLimiter)
      const consume = (key: string) => limiter.consume(key, 3, 60_000)
      const client = yield* inspector
      const stored = (key: string) => Effect.promise(() => client.get(`${settings.keyPrefix}ratelimit:${key}`))

      expect((yield* consume("before")).remaining).toBe(2)
      expect(yield* stored("before")).toBe("1")

      yield* proxy.down
      // Requests go on being answered, at once, from memory, and the limit still holds there.
      const started = Date.now()
      const during = []
      for (let i = 0; i < 5; i++) during.push(yield* consume("during"))
      expect(Date.now() - started).toBeLessThan(1_000)
      expect(during.map((d) => d.allowed)).toEqual([true, true, true, false, false])
      expect(yield* stored("during")).toBeNull()
      const fellBack = lines.filter((l) => l.message.includes("unreachable"))
      expect(fellBack).toHaveLength(1)
      expect(fellBack[0]!.level).toBe("WARN")

      yield* proxy.up
      const back = yield* eventually(Effect.map(consume("after"), () => lines.some((l) => l.message.includes("answers again"))))
      expect(back).toBe(true)
      yield* consume("after")
      expect(Number(yield* stored("after"))).toBeGreaterThanOrEqual(1)
      // One line each way, however many requests saw the outage.
      expect(lines.filter((l) => l.message.includes("unreachable"))).toHaveLength(1)
      expect(lines.filter((l) => l.message.includes("answers again"))).toHaveLength(1)
    })).pipe(Effect.provide(capture(lines)), Logger.withMinimumLogLevel(LogLevel.Info))
  })

  it.live("over HTTP: no request fails while Redis is down, 429s keep coming from memory, and /health says degraded", () =>
    Effect.scoped(Effect.gen(function*() {
      const proxy = yield* tcpProxy(redisTarget())
      const settings = throughProxy(yield* freshRedis(), proxy.port)
      const server = yield* Layer.build(TestServer.layer({
        database: stubDatabase,
        redis: settings,
        rateLimits: { generalPerMinute: 4 },
        logLevel: LogLevel.None
      }))
      const get = request("/api/v1/pilar/pillars").pipe(Effect.provide(server))
      const health = request("/health").pipe(
        Effect.flatMap((response) => Effect.map(json(response), (body) => ({ status: response.status, body }))),
        Effect.provide(server)
      )
      const redisIs = (expected: "up" | "down") =>
        eventually(Effect.map(health, ({ body }) => (body as { checks: { redis?: { status: string } } }).checks.redis?.status === expected))

      expect((yield* get).status).toBe(200)
      expect(yield* redisIs("up")).toBe(true)
      yield* proxy.down
      const during = []
      for (let i = 0; i < 5; i++) during.push((yield* get).status)
      // The memory store starts from zero: four more allowed, the fifth refused.
      expect(during).toEqual([200, 200, 200, 200, 429])
      // Redis is reported, never required: 200, "degraded".
      expect(yield* redisIs("down")).toBe(true)
      expect(yield* health).toMatchObject({ status: 200, body: { status: "degraded", checks: { database: { status: "up" } } } })
      yield* proxy.up
      expect(yield* redisIs("up")).toBe(true)
      expect(yield* health).toMatchObject({ status: 200, body: { status: "ok" } })
    })))
})
