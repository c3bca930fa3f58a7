import { Config, Effect, Layer, Logger, LogLevel } from "effect"

/**
 * Structured JSON logs, one object per line (what log shippers expect), or a readable format
 * for a terminal. `LOG_LEVEL` (default Info) and `LOG_FORMAT` (json | pretty, default json).
 * JSON lines are written in batches every 20 ms: one write per batch instead of one per line
 * keeps the access log off the request path's cost (the batch is flushed on shutdown).
 */
export const LoggingLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const level = yield* Config.logLevel("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info))
    const format = yield* Config.literal("json", "pretty")("LOG_FORMAT").pipe(Config.withDefault("json" as const))
    const logger = format === "json"
      ? Logger.replaceScoped(
        Logger.defaultLogger,
        Logger.batched(Logger.jsonLogger, "20 millis", (lines) =>
          Effect.sync(() => {
            process.stdout.write(`${lines.join("\n")}\n`)
          }))
      )
      : Logger.pretty
    return Layer.merge(logger, Logger.minimumLogLevel(level))
  })
)
