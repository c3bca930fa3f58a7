import { Config, Effect, Layer, Logger, LogLevel } from "effect"

/**
 * Structured JSON logs, one object per line (what log shippers expect), or a readable
 * format for a terminal. `LOG_LEVEL` (default Info) and `LOG_FORMAT` (json | pretty, default json).
 */
export const LoggingLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const level = yield* Config.logLevel("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info))
    const format = yield* Config.literal("json", "pretty")("LOG_FORMAT").pipe(Config.withDefault("json" as const))
    return Layer.merge(format === "json" ? Logger.json : Logger.pretty, Logger.minimumLogLevel(level))
  })
)
