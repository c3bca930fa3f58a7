import { Config, ConfigError, Effect, Either, Layer, Logger, LogLevel } from "effect"

/** The README's names, and Effect's own labels (`WARN`, `OFF`), in any case. */
const levelNames: Readonly<Record<string, LogLevel.LogLevel>> = {
  all: LogLevel.All,
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  warn: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None,
  off: LogLevel.None
}

/** `LOG_LEVEL`: All, Trace, Debug, Info (default), Warning, Error, Fatal, None. */
export const logLevel = Config.string("LOG_LEVEL").pipe(
  Config.mapOrFail((name) => {
    const level = levelNames[name.trim().toLowerCase()]
    return level === undefined
      ? Either.left(ConfigError.InvalidData([], "Expected All, Trace, Debug, Info, Warning, Error, Fatal or None"))
      : Either.right(level)
  }),
  Config.withDefault(LogLevel.Info)
)

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
