import { describe, expect, it } from "@effect/vitest"
import { type Config, type ConfigError, ConfigProvider, Effect, Either, Option, Redacted } from "effect"
import { describeConfigError } from "../../src/Config.js"
import { rateLimitTiers } from "../../src/RateLimit.js"
import { redisSettings } from "../../src/Redis.js"

const read = <A>(config: Config.Config<A>, env: Record<string, string>) =>
  Effect.either(Effect.withConfigProvider(config, ConfigProvider.fromMap(new Map(Object.entries(env)))))

const problems = <A>(result: Either.Either<A, ConfigError.ConfigError>) =>
  Either.isLeft(result) ? describeConfigError(result.left) : []

describe("rate-limit and Redis configuration", () => {
  it.effect("tiers: defaults, overrides, and a clear error for anything but a positive integer", () =>
    Effect.gen(function*() {
      expect(yield* read(rateLimitTiers, {})).toEqual(Either.right({
        signInPerMinute: 10,
        signInAccountPerMinute: 5,
        refreshPerMinute: 60,
        aiPerMinute: 10,
        generalPerMinute: 600
      }))
      const custom = yield* read(rateLimitTiers, {
        RATE_LIMIT_AI_PER_MINUTE: "3",
        RATE_LIMIT_GENERAL_PER_MINUTE: "1200",
        RATE_LIMIT_REFRESH_PER_MINUTE: "240"
      })
      expect(Either.getOrThrow(custom)).toMatchObject({ aiPerMinute: 3, generalPerMinute: 1200, refreshPerMinute: 240 })
      const bad = yield* read(rateLimitTiers, {
        RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: "0",
        RATE_LIMIT_AI_PER_MINUTE: "many",
        RATE_LIMIT_REFRESH_PER_MINUTE: "-1"
      })
      const lines = problems(bad)
      expect(lines.some((l) => l.startsWith("RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: Expected a positive integer"))).toBe(true)
      expect(lines.some((l) => l.startsWith("RATE_LIMIT_REFRESH_PER_MINUTE: Expected a positive integer"))).toBe(true)
      expect(lines.some((l) => l.startsWith("RATE_LIMIT_AI_PER_MINUTE:"))).toBe(true)
    }))

  it.effect("Redis: unset or empty means none; a URL needs the redis:// or rediss:// scheme", () =>
    Effect.gen(function*() {
      expect(Option.isNone(Either.getOrThrow(yield* read(redisSettings, {})))).toBe(true)
      expect(Option.isNone(Either.getOrThrow(yield* read(redisSettings, { REDIS_URL: "  " })))).toBe(true)
      const set = Either.getOrThrow(yield* read(redisSettings, { REDIS_URL: "redis://:secret@cache:6380/2" }))
      expect(Option.isSome(set)).toBe(true)
      if (Option.isSome(set)) {
        expect(Redacted.value(set.value.url)).toBe("redis://:secret@cache:6380/2")
        expect(set.value).toMatchObject({ keyPrefix: "compilar:", commandTimeoutMs: 100 })
        // The password never reaches a log line through the settings.
        expect(String(set.value.url)).not.toContain("secret")
      }
      const tuned = Either.getOrThrow(
        yield* read(redisSettings, { REDIS_URL: "rediss://cache:6380", REDIS_KEY_PREFIX: "eu:", REDIS_COMMAND_TIMEOUT_MS: "50" })
      )
      expect(Option.getOrThrow(tuned)).toMatchObject({ keyPrefix: "eu:", commandTimeoutMs: 50 })
      expect(problems(yield* read(redisSettings, { REDIS_URL: "localhost:6379" }))[0]).toMatch(/^REDIS_URL: Expected a URL like redis:/)
      expect(problems(yield* read(redisSettings, { REDIS_URL: "redis://x", REDIS_COMMAND_TIMEOUT_MS: "0" }))[0])
        .toMatch(/^REDIS_COMMAND_TIMEOUT_MS:/)
      expect(problems(yield* read(redisSettings, { REDIS_URL: "redis://x", REDIS_KEY_PREFIX: "has space" }))[0])
        .toMatch(/^REDIS_KEY_PREFIX:/)
    }))
})
