import { Cause, Effect, Layer, Option } from "effect"
import { AuthConfig } from "./Auth.js"
import { describeConfigError, findConfigError, ServerConfig } from "./Config.js"
import { DatabaseLive } from "./Database.js"
import { HttpLive, ServicesLive } from "./Http.js"
import { AccessLog } from "./Http/AccessLog.js"
import { EmbeddingsLive, KnowledgeLive } from "./Knowledge.js"
import { Llm } from "./Llm.js"
import { LoggingLive } from "./Logging.js"
import { RateLimitConfig, RateLimiter } from "./RateLimit.js"
import { TelemetryLive } from "./Telemetry.js"

/** The production composition: every live layer, chosen from configuration. */
export const Main = HttpLive.pipe(
  Layer.provide(AccessLog.Live),
  Layer.provide(ServicesLive),
  Layer.provide(AuthConfig.Live),
  Layer.provide(RateLimiter.memory),
  Layer.provide(RateLimitConfig.Live),
  Layer.provide(Llm.Live),
  Layer.provide(KnowledgeLive),
  Layer.provide(EmbeddingsLive),
  Layer.provide(DatabaseLive),
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
