import { Context, Effect, Layer, LogLevel } from "effect"
import { ServerConfig } from "../Config.js"
import { logLevel } from "../Logging.js"

export interface AccessEntry {
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly status: number
  readonly durationMs: number
}

/**
 * One line per request, for operators: request id, method, path, status, duration.
 *
 * Written beside Effect's logger rather than through it: going through the logger (fiber refs,
 * annotations, the JSON logger's generic formatting) took about a third of a small request's
 * cost in the /health benchmark, for a line whose shape never changes. The line has the same
 * JSON shape as the application's log lines (`message`, `logLevel`, `timestamp`,
 * `annotations`), so one log pipeline reads both; lines are written in batches every 20 ms and
 * flushed when the server stops. `ACCESS_LOG=false` turns it off; a `LOG_LEVEL` above Info too.
 */
export class AccessLog extends Context.Tag("Http/AccessLog")<AccessLog, {
  readonly enabled: boolean
  readonly record: (entry: AccessEntry) => void
}>() {
  static readonly Live = Layer.scoped(
    AccessLog,
    Effect.gen(function*() {
      const config = yield* ServerConfig
      const level = yield* logLevel
      if (!config.accessLog || LogLevel.greaterThan(level, LogLevel.Info)) return AccessLog.disabled
      return yield* writer((text) => process.stdout.write(text))
    })
  )

  static readonly disabled = { enabled: false, record: () => {} }

  /** Keeps the entries in memory, for tests. */
  static readonly memory = (entries: Array<AccessEntry>) =>
    Layer.succeed(AccessLog, { enabled: true, record: (entry) => void entries.push(entry) })
}

const FLUSH_EVERY_MS = 20

const writer = (write: (text: string) => void) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      let pending: Array<string> = []
      const flush = () => {
        if (pending.length === 0) return
        const lines = pending
        pending = []
        write(`${lines.join("\n")}\n`)
      }
      const timer = setInterval(flush, FLUSH_EVERY_MS)
      timer.unref()
      return {
        flush,
        timer,
        service: {
          enabled: true,
          record: (entry: AccessEntry) => {
            pending.push(JSON.stringify({
              message: "request",
              logLevel: "INFO",
              timestamp: new Date().toISOString(),
              annotations: entry
            }))
          }
        }
      }
    }),
    ({ flush, timer }) =>
      Effect.sync(() => {
        clearInterval(timer)
        flush()
      })
  ).pipe(Effect.map(({ service }) => service))
