/**
 * PGlite in its own thread (see PgliteClient.ts for why). Plain JavaScript because a worker
 * thread gets none of the TypeScript loaders its parent runs under (tsx, vitest).
 *
 * Protocol, one message each way per statement:
 *   in:  { id, op: "exec" | "values" | "raw", sql, params, session? }
 *        { op: "reserve", session }   { op: "release", session }   { op: "close" }
 *   out: { id, ok: true, value } | { id, ok: false, error: { message, code?, detail?, … } }
 * and once at start: { ready: true } or { ready: false, error }.
 *
 * Statements run one at a time in arrival order, except while a session holds the database
 * (from its "reserve" to its "release": a transaction): then only that session's statements run,
 * and everything else waits, in order, until it lets go. Ordering lives here rather than behind a
 * lock in the server's thread so that statements travel without waiting for each other's
 * replies: the database never idles while the server's thread is busy elsewhere.
 */
import { PGlite, types } from "@electric-sql/pglite"
import { vector } from "@electric-sql/pglite-pgvector"
import { mkdir } from "node:fs/promises"
import { parentPort, workerData } from "node:worker_threads"
import { runStatement } from "./PgliteStatement.mjs"

const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort)
const dataDir = /** @type {{ dataDir?: string }} */ (workerData).dataDir

/**
 * What the server's thread posts (PgliteClient.ts).
 * @typedef {{ op: "exec" | "values" | "raw", id: number, sql: string, params: Array<unknown>, session?: number }} Statement
 * @typedef {Statement | { op: "reserve" | "release", session: number } | { op: "close" }} Message
 */

/**
 * Only what crosses a thread safely and helps a reader: PostgreSQL's own error fields.
 * @param {unknown} error
 */
const plainError = (error) => {
  /** @type {Record<string, unknown>} */
  const plain = { message: error instanceof Error ? error.message : String(error) }
  if (error === null || typeof error !== "object") return plain
  const fields = /** @type {Record<string, unknown>} */ (error)
  for (const key of ["code", "detail", "hint", "constraint", "table", "column", "schema", "severity", "position"]) {
    if (fields[key] !== undefined) plain[key] = fields[key]
  }
  return plain
}

/** One result's rows, or one array per statement: what node-postgres gives `@effect/sql-pg`. */
const rowsOf = (/** @type {ReadonlyArray<{ rows: unknown[] }>} */ results) => {
  const only = results.length === 1 ? results[0] : undefined
  return only !== undefined ? only.rows : results.map((result) => result.rows)
}

const open = async () => {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
  const db = new PGlite({
    ...(dataDir !== undefined ? { dataDir } : {}),
    // The options-object form: the (dataDir, options) form was seen to ignore extensions.
    extensions: { vector },
    // node-postgres leaves int8 as a string (it may not fit a double); so must we, or the
    // same repository code would decode differently on the two databases.
    parsers: { [types.INT8]: (/** @type {string} */ value) => value }
  })
  await db.waitReady
  return db
}

/** @param {PGlite} db @param {Statement} statement */
const run = (db, { op, sql, params }) => {
  switch (op) {
    // Without parameters, the simple protocol as node-postgres uses it: several statements
    // may travel in one string (migrations rely on it). With parameters, one statement.
    case "exec":
      return params.length === 0 ? db.exec(sql).then(rowsOf) : runStatement(db, sql, params, false)
    case "values":
      return runStatement(db, sql, params, true)
    case "raw":
      return params.length === 0 ? db.exec(sql) : db.query(sql, params)
    default:
      return Promise.reject(new Error(`PGlite worker: unknown operation ${op}`))
  }
}

/** @param {PGlite} db */
const serve = (db) => {
  /** @type {Array<Message>} messages not handled yet, in arrival order */
  const queue = []
  /** @type {number | null} the session holding the database, if any */
  let owner = null
  let pumping = false

  /** The next message allowed to run: the oldest, or the owner's oldest while a session holds the database. */
  const nextIndex = () => owner === null ? (queue.length > 0 ? 0 : -1) : queue.findIndex((m) => "session" in m && m.session === owner)

  const pump = async () => {
    if (pumping) return
    pumping = true
    for (let index = nextIndex(); index >= 0; index = nextIndex()) {
      const message = /** @type {Message} */ (queue.splice(index, 1)[0]) // nextIndex found it
      switch (message.op) {
        case "reserve":
          owner = message.session
          break
        case "release":
          owner = null
          break
        case "close":
          queue.length = 0
          await db.close().catch(() => {})
          port.close()
          return
        default:
          try {
            port.postMessage({ id: message.id, ok: true, value: await run(db, message) })
          } catch (error) {
            port.postMessage({ id: message.id, ok: false, error: plainError(error) })
          }
      }
    }
    pumping = false
  }

  port.on("message", (/** @type {Message} */ message) => {
    queue.push(message)
    void pump()
  })
  port.postMessage({ ready: true })
}

open().then(
  serve,
  (error) => port.postMessage({ ready: false, error: plainError(error) })
)
