import { Config, ConfigError, Context, Data, Effect, Either, Layer, Option, Redacted, type Scope } from "effect"
import { Redis as IORedis } from "ioredis"

/**
 * Redis, when `REDIS_URL` is set: the state several instances share (rate-limit counters,
 * token revocations). Unset is the embedded default: every instance keeps that state in its
 * own memory, which is right for one instance.
 *
 * Redis is never on the critical path: commands give up after `commandTimeoutMs`, nothing is
 * queued while the connection is down (the caller falls back at once instead of waiting),
 * and the connection keeps retrying in the background until Redis answers again.
 */
export interface RedisSettings {
  readonly url: Redacted.Redacted<string>
  /** Put in front of every key and channel, so several deployments (or test runs) can share a server. */
  readonly keyPrefix: string
  readonly commandTimeoutMs: number
}

const redisUrl = Config.option(Config.redacted("REDIS_URL")).pipe(
  Config.map(Option.filter((url) => Redacted.value(url).trim() !== "")),
  Config.mapOrFail((url) =>
    Option.isSome(url) && !/^rediss?:\/\/[^\s]+$/.test(Redacted.value(url.value).trim())
      ? Either.left(ConfigError.InvalidData(["REDIS_URL"], "Expected a URL like redis://host:6379 or rediss://…"))
      : Either.right(Option.map(url, (u) => Redacted.make(Redacted.value(u).trim())))
  )
)

const keyPrefix = Config.string("REDIS_KEY_PREFIX").pipe(
  Config.validate({ message: "Expected at most 64 characters without spaces", validation: (s) => /^\S{0,64}$/.test(s) }),
  Config.withDefault("compilar:")
)

const commandTimeoutMs = Config.integer("REDIS_COMMAND_TIMEOUT_MS").pipe(
  Config.validate({ message: "Expected an integer between 5 and 10000", validation: (n) => n >= 5 && n <= 10_000 }),
  Config.withDefault(100)
)

/** `REDIS_URL` (unset or empty: none), `REDIS_KEY_PREFIX`, `REDIS_COMMAND_TIMEOUT_MS`. */
export const redisSettings: Config.Config<Option.Option<RedisSettings>> = Config.all({
  url: redisUrl,
  keyPrefix,
  commandTimeoutMs
}).pipe(Config.map(({ url, ...rest }) => Option.map(url, (u) => ({ url: u, ...rest }))))

/** `host:port` of a Redis URL, for logs: never the password. */
export const redisLocation = (url: Redacted.Redacted<string>): string => {
  try {
    const parsed = new URL(Redacted.value(url))
    return `${parsed.hostname}:${parsed.port === "" ? "6379" : parsed.port}`
  } catch {
    return "(unparsable REDIS_URL)"
  }
}

export interface RedisShape {
  /** The command connection, shared by every user of Redis in this instance. */
  readonly client: IORedis
  readonly keyPrefix: string
  /** Where it points, for logs (`host:port`). */
  readonly location: string
  /** Connected and answering right now (a command sent now would not fail for want of a connection). */
  readonly isReady: () => boolean
  /**
   * A connection for subscribing, closed with the scope: a connection in subscriber mode can run
   * no other command. It does not subscribe again by itself after a reconnection: subscribe on
   * its `ready` event.
   */
  readonly subscriber: Effect.Effect<IORedis, never, Scope.Scope>
}

/** How long start-up waits for a first connection before going on without Redis (the fallbacks take over). */
const startupWaitMs = 2_000

const open = (settings: RedisSettings, purpose: "commands" | "subscriber") =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const client = new IORedis(Redacted.value(settings.url), {
        // Commands answer requests and must not keep them waiting; a subscriber only subscribes,
        // off the request path, and a SUBSCRIBE given up on would leave it deaf.
        ...(purpose === "commands" ? { commandTimeout: settings.commandTimeoutMs } : {}),
        connectTimeout: 2_000,
        // Fail at once while disconnected rather than queue: callers fall back to memory.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        // Keep trying in the background, at most a second apart, so recovery is prompt.
        retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
        // Its own resubscription leaves a failure unhandled; subscribers resubscribe themselves.
        autoResubscribe: false,
        connectionName: "compilar"
      })
      // Failures are reported by the users of the connection, once per outage; without a
      // listener ioredis would print every reconnection error to the console.
      client.on("error", () => {})
      return client
    }),
    (client) =>
      Effect.tryPromise(() => client.status === "ready" ? client.quit() : Promise.resolve("OK")).pipe(
        Effect.timeout(1_000),
        Effect.ignore,
        Effect.ensuring(Effect.sync(() => client.disconnect()))
      )
  )

const waitUntilReady = (client: IORedis, timeoutMs: number) =>
  Effect.async<boolean>((resume) => {
    if (client.status === "ready") return resume(Effect.succeed(true))
    const onReady = () => done(true)
    const timer = setTimeout(() => done(false), timeoutMs)
    const done = (ready: boolean) => {
      clearTimeout(timer)
      client.off("ready", onReady)
      resume(Effect.succeed(ready))
    }
    client.once("ready", onReady)
    return Effect.sync(() => done(false))
  })

export class Redis extends Context.Tag("Redis")<Redis, RedisShape>() {
  /** A connection for these settings, quit when the layer's scope closes. Start-up never fails for want of Redis. */
  static readonly layer = (settings: RedisSettings): Layer.Layer<Redis> =>
    Layer.scoped(
      Redis,
      Effect.gen(function*() {
        const client = yield* open(settings, "commands")
        const location = redisLocation(settings.url)
        const ready = yield* waitUntilReady(client, startupWaitMs)
        yield* ready
          ? Effect.logInfo(`Redis: connected to ${location}`)
          : Effect.logWarning(
            `Redis: ${location} is not answering; state shared between instances stays in this instance's memory until it does`
          )
        return {
          client,
          keyPrefix: settings.keyPrefix,
          location,
          isReady: () => client.status === "ready",
          subscriber: open(settings, "subscriber")
        }
      })
    )
}

export class RedisUnreachable extends Data.TaggedError("RedisUnreachable")<{ readonly message: string }> {}

/**
 * Redis as /health reports it, present only when Redis is configured: one PING, bounded by the
 * command timeout. Reported, never required: while it is down, limits are counted per instance.
 */
export class RedisCheck extends Context.Tag("Redis/Check")<RedisCheck, {
  /** Round-trip milliseconds. */
  readonly ping: Effect.Effect<number, RedisUnreachable>
}>() {
  static readonly layer = Layer.effect(
    RedisCheck,
    Effect.map(Redis, (redis) => ({
      ping: Effect.suspend(() => {
        if (!redis.isReady()) return Effect.fail(new RedisUnreachable({ message: `${redis.location} is not connected` }))
        const started = performance.now()
        return Effect.tryPromise({
          try: () => redis.client.ping(),
          catch: (cause) =>
            new RedisUnreachable({ message: `${redis.location}: ${cause instanceof Error ? cause.message : String(cause)}` })
        }).pipe(Effect.map(() => performance.now() - started))
      })
    }))
  )
}
