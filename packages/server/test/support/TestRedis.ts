import { Effect, Redacted } from "effect"
import { Redis as IORedis } from "ioredis"
import { randomBytes } from "node:crypto"
import type { RedisSettings } from "../../src/Redis.js"

/**
 * The Redis a test runs against: `REDIS_URL` (CI sets it). Redis tests run only when it is set
 * and say so otherwise. CI's Redis keeps whatever earlier runs left, so every test gets its own
 * key prefix (`freshRedis`) and its keys are deleted afterwards.
 *
 *   describe.runIf(redisUrl !== undefined)("…", () => {
 *     it.scoped("…", () => Effect.gen(function*() { const settings = yield* freshRedis(); … }))
 *   })
 */
export const redisUrl = process.env["REDIS_URL"]?.trim() || undefined

if (redisUrl === undefined) {
  console.info("[TestRedis] REDIS_URL is not set: Redis tests skipped, memory stores only")
}

/** `host` and `port` of `REDIS_URL`, to put a TcpProxy in front of it. */
export const redisTarget = () => {
  const url = new URL(redisUrl ?? "redis://127.0.0.1:6379")
  return { host: url.hostname, port: url.port === "" ? 6379 : Number(url.port) }
}

/** A plain client on `REDIS_URL` for looking at what the app wrote; quit with the scope. */
export const inspector = Effect.acquireRelease(
  Effect.sync(() => new IORedis(redisUrl ?? "redis://127.0.0.1:6379", { lazyConnect: false })),
  (client) => Effect.promise(() => client.quit()).pipe(Effect.ignore)
)

const deleteKeys = (prefix: string) =>
  Effect.scoped(Effect.gen(function*() {
    const client = yield* inspector
    yield* Effect.promise(async () => {
      let cursor = "0"
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500)
        cursor = next
        if (keys.length > 0) await client.del(...keys)
      } while (cursor !== "0")
    })
  })).pipe(Effect.ignore)

/**
 * Settings for `REDIS_URL` (or `url`, e.g. a TcpProxy in front of it) under a fresh key prefix;
 * every key under it is deleted when the scope closes.
 */
export const freshRedis = (options: { readonly url?: string; readonly keyPrefix?: string } = {}) =>
  Effect.gen(function*() {
    const keyPrefix = options.keyPrefix ?? `compilar-test:${randomBytes(6).toString("hex")}:`
    yield* Effect.addFinalizer(() => deleteKeys(keyPrefix))
    const settings: RedisSettings = {
      url: Redacted.make(options.url ?? redisUrl ?? "redis://127.0.0.1:6379"),
      keyPrefix,
      // Generous: a machine busy with other test files can take longer than production's 100 ms,
      // and a timeout would send the limiter to its memory fallback in the middle of a test.
      // (Outages are made by cutting a TcpProxy, which fails commands at once.)
      commandTimeoutMs: 2_000
    }
    return settings
  })

/** The same settings, reaching Redis through a proxy on `port` of this machine (credentials and database kept). */
export const throughProxy = (settings: RedisSettings, port: number): RedisSettings => {
  const url = new URL(Redacted.value(settings.url))
  url.hostname = "127.0.0.1"
  url.port = String(port)
  return { ...settings, url: Redacted.make(url.toString()) }
}
