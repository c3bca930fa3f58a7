import { Config, Effect, Layer, Logger, LogLevel } from "effect"

/** `LOG_LEVEL`: All, Trace, Debug, Info (default), Warning, Error, Fatal, None. */
export const logLevel = Config.logLevel("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info))

/**
 * Structured JSON logs, one object per line (what log shippers expect), or a readable format
 * for a terminal: `LOG_FORMAT` json (default) or pretty. The per-request access log is
 * written beside this logger (Http/AccessLog.ts).
 */
export const LoggingLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const level = yield* logLevel
    const format = yield* Config.literal("json", "pretty")("LOG_FORMAT").pipe(Config.withDefault("json" as const))
    return Layer.merge(format === "json" ? Logger.json : Logger.pretty, Logger.minimumLogLevel(level))
  })
)
