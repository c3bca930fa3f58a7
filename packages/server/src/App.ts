import { Cause, Effect, Layer, Option } from "effect"
import { AuthConfig } from "./Auth.js"
import { CoachingConfig } from "./Coaching.js"
import { describeConfigError, findConfigError, ServerConfig } from "./Config.js"
import { DatabaseLive } from "./Database.js"
import { HttpLive, ServicesLive } from "./Http.js"
import { AccessLog } from "./Http/AccessLog.js"
import { ClientAddress } from "./Http/ClientAddress.js"
import { EmbeddingsLive, KnowledgeLive } from "./Knowledge.js"
import { Llm } from "./Llm.js"
import { LoggingLive } from "./Logging.js"
import { RateLimitConfig } from "./RateLimit.js"
import { SharedStateLive } from "./SharedState.js"
import { TelemetryLive } from "./Telemetry.js"

/** The production composition: every live layer, chosen from configuration. */
export const Main = HttpLive.pipe(
  Layer.provide(AccessLog.Live),
  Layer.provide(ServicesLive),
  Layer.provide(AuthConfig.Live),
  Layer.provide(CoachingConfig.Live),
  Layer.provide(Llm.Live),
  Layer.provide(KnowledgeLive),
  Layer.provide(EmbeddingsLive),
  Layer.provide(DatabaseLive),
  // Rate-limit counters and token revocations: in Redis when REDIS_URL is set, else in memory.
  // Built before the database (layers provided last are built first): a bad REDIS_URL,
  // TRUSTED_PROXIES or tier stops start-up at once, not after the database has booted.
  Layer.provide(SharedStateLive),
  Layer.provide(RateLimitConfig.Live),
  Layer.provide(ClientAddress.Live),
  Layer.provide(TelemetryLive),
  Layer.provide(ServerConfig.Live),
  Layer.provide(LoggingLive)
)

/**
 * A bad configuration is reported as one plain line per variable on stderr; any other
 * start-up failure is logged with its cause. Either way the process exits non-zero.
 */
export const reportStartupFailure = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.tapErrorCause(self, (cause) =>
    Option.match(findConfigError(cause), {
      onSome: (error) =>
        Effect.sync(() => {
          process.stderr.write(
            `Invalid configuration:\n${describeConfigError(error).map((line) => `  ${line}\n`).join("")}`
          )
        }),
      onNone: () => Cause.isInterruptedOnly(cause) ? Effect.void : Effect.logError("Start-up failed", cause)
    }))
