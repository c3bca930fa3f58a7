import { Data, Effect } from "effect"
import type { Redis as IORedis } from "ioredis"
import type { RateDecision } from "../RateLimit.js"
import type { RedisShape } from "../Redis.js"

export class RedisStoreFailed extends Data.TaggedError("RedisStoreFailed")<{ readonly cause: unknown }> {}

/**
 * One fixed window per key, counted atomically inside Redis: the first hit of a window creates
 * the counter with the window as its expiry, later hits only increment it. Returns the count
 * and the milliseconds left. A counter found without an expiry (never by this script) gets one,
 * so a key can never block a client for good.
 */
const fixedWindowScript = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  return { count, tonumber(ARGV[1]) }
end
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`

const command = "compilarRateLimitFixedWindow"

interface WithFixedWindow extends IORedis {
  [command]: (key: string, windowMs: number) => Promise<[number, number]>
}

/**
 * Fixed windows shared by every instance on the same Redis. `consume` fails (never hangs: the
 * connection's command timeout bounds it) when Redis does not answer; see `Fallback.ts` for
 * what the limiter does then.
 */
export const makeRedisStore = (redis: Pick<RedisShape, "client" | "keyPrefix">) => {
  // EVALSHA with the script's digest, EVAL once if the server does not know it yet.
  redis.client.defineCommand(command, { numberOfKeys: 1, lua: fixedWindowScript })
  const client = redis.client as WithFixedWindow
  const prefix = `${redis.keyPrefix}ratelimit:`
  return {
    consume: (key: string, limit: number, windowMs: number): Effect.Effect<RateDecision, RedisStoreFailed> =>
      Effect.tryPromise({
        try: () => client[command](`${prefix}${key}`, windowMs),
        catch: (cause) => new RedisStoreFailed({ cause })
      }).pipe(
        Effect.map(([count, ttl]): RateDecision => ({
          allowed: count <= limit,
          limit,
          remaining: Math.max(0, limit - count),
          resetMs: ttl
        }))
      )
  }
}
