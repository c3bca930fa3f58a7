import { Effect, Layer, Option } from "effect"
import { RedisRevocationsLive } from "./Auth/RedisRevocations.js"
import { RevocationBus } from "./Auth/Revocations.js"
import { RateLimiter } from "./RateLimit.js"
import { Redis, RedisCheck, type RedisSettings, redisSettings } from "./Redis.js"

/**
 * Where the state that instances share lives, chosen in this one place: with Redis settings,
 * rate-limit counters and token revocations go through Redis (one connection for commands,
 * one for the revocation subscription); without, this instance's memory holds the counters and
 * revocations stay local (one instance has nobody to tell). With Redis it also adds
 * `RedisCheck`, which /health reports when present.
 */
export const sharedStateLayer = (
  settings: Option.Option<RedisSettings>
): Layer.Layer<RateLimiter | RevocationBus> =>
  Option.match(settings, {
    onNone: () => Layer.merge(RateLimiter.memory, RevocationBus.local),
    onSome: (redis) =>
      Layer.mergeAll(RateLimiter.redis, RedisRevocationsLive, RedisCheck.layer).pipe(Layer.provide(Redis.layer(redis)))
  })

/** From `REDIS_URL` (and `REDIS_KEY_PREFIX`, `REDIS_COMMAND_TIMEOUT_MS`). */
export const SharedStateLive = Layer.unwrapEffect(Effect.map(redisSettings, sharedStateLayer))
