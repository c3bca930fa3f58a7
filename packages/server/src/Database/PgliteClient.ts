import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Context, Effect, Layer, Scope, Stream } from "effect"
import { Worker } from "node:worker_threads"

/**
 * An @effect/sql `SqlClient` over PGlite (PostgreSQL compiled to WebAssembly, in process).
 *
 * PGlite runs in a worker thread of its own (PgliteWorker.mjs). In the server's thread a
 * search cost about 1.5 ms of CPU that no HTTP work could overlap, so ten concurrent searches
 * queued behind each other and behind the requests around them; in its own thread the
 * database uses the second core while this one parses, encodes and answers.
 *
 * PGlite is a single backend: one session, so one connection. Statements outside a
 * transaction go straight to the worker, which runs them in arrival order. A transaction
 * reserves the database (`reserve`) for its whole scope: until it releases it, the worker runs
 * only that transaction's statements and keeps every other one waiting, in order, so no other
 * fiber's statement can land inside someone else's BEGIN … COMMIT (the arrangement of
 * `@effect/sql-sqlite-node`, kept in the worker so that statements never wait in this thread for
 * each other's replies). A fiber inside a transaction that forks work keeps the transaction's
 * connection through its context; code that escapes that context (a daemon fiber) and queries
 * while the transaction is open waits for it to end.
 */

export interface PgliteClientConfig {
  /** Directory for the database files; created when missing. Omitted: in memory. */
  readonly dataDir?: string | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
}

/** The running PGlite thread, for the few callers that need more than SQL (tests). */
export interface PgliteHandle {
  /** Closes the database and ends its thread; every statement after this fails. */
  readonly close: () => Promise<void>
}
export class Pglite extends Context.Tag("Database/Pglite")<Pglite, PgliteHandle>() {}

type Rows = ReadonlyArray<Record<string, unknown>>
/** What the worker answers per operation: rows (one array per statement for a multi-statement
 * string), rows as arrays, or PGlite's whole result. */
interface ReplyOf {
  readonly exec: Rows | ReadonlyArray<Rows>
  readonly values: ReadonlyArray<ReadonlyArray<unknown>>
  readonly raw: unknown
}
type Operation = keyof ReplyOf
type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError }
type Started = { readonly ready: true } | { readonly ready: false; readonly error: WorkerError }
/** PostgreSQL's error fields as the worker copies them across (`message`, `code`, `detail`, …). */
interface WorkerError {
  readonly message: string
  readonly [field: string]: unknown
}

/** A statement to the worker, within `session` when a transaction holds the database. */
type Send = (op: Operation, sql: string, params: ReadonlyArray<unknown>, session?: number) => Promise<unknown>
interface PgliteThread {
  readonly send: Send
  /** Holds the database for `session` until `release`; statements of other sessions wait in the worker. */
  readonly reserve: (session: number) => void
  readonly release: (session: number) => void
  readonly close: () => Promise<void>
}

const failed = (cause: unknown, message: string) => new SqlError({ cause, message })

const workerScript = new URL("./PgliteWorker.mjs", import.meta.url)

/**
 * Starts the worker thread and waits for its database to open. Statements are posted with an
 * id; replies settle the matching promise. If the thread dies, everything pending fails and
 * so does every later statement.
 */
const start = (dataDir: string | undefined) =>
  new Promise<PgliteThread>((resolve, reject) => {
    const worker = new Worker(workerScript, { workerData: { dataDir } })
    const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>()
    let nextId = 0
    let gone: Error | undefined

    const fail = (error: Error) => {
      gone ??= error
      for (const waiter of pending.values()) waiter.reject(error)
      pending.clear()
    }
    const closed = new Promise<void>((done) => worker.once("exit", () => done()))

    worker.once("error", (error) => {
      fail(error)
      reject(error)
    })
    worker.once("exit", (code) => {
      const error = new Error(`PGlite: the database thread has stopped (exit code ${code})`)
      fail(error)
      reject(error)
    })
    worker.on("message", (message: Reply | Started) => {
      if ("ready" in message) {
        if (message.ready) {
          resolve({ send, reserve, release, close })
        } else {
          reject(Object.assign(new Error(message.error.message), message.error))
          void worker.terminate()
        }
        return
      }
      const waiter = pending.get(message.id)
      if (waiter === undefined) return
      pending.delete(message.id)
      if (message.ok) waiter.resolve(message.value)
      else waiter.reject(Object.assign(new Error(message.error.message), message.error))
    })

    const send: Send = (op, sql, params, session) =>
      gone !== undefined
        ? Promise.reject(gone)
        : new Promise<unknown>((resolve, reject) => {
          const id = nextId++
          pending.set(id, { resolve, reject })
          worker.postMessage({ id, op, sql, params, session })
        })
    const reserve = (session: number) => {
      if (gone === undefined) worker.postMessage({ op: "reserve", session })
    }
    const release = (session: number) => {
      if (gone === undefined) worker.postMessage({ op: "release", session })
    }

    const close = async () => {
      if (gone !== undefined) return
      fail(new Error("PGlite: the database is closed"))
      worker.postMessage({ op: "close" })
      // A database that will not close in time is not worth hanging shutdown for.
      const timeout = setTimeout(() => void worker.terminate(), 10_000)
      await closed
      clearTimeout(timeout)
    }
  })

/** A connection whose statements run outside any transaction, or within `session`. */
const makeConnection = (send: Send, session?: number): Connection => {
  const call = <Op extends Operation>(op: Op, sql: string, params: ReadonlyArray<unknown>) =>
    Effect.tryPromise({
      // The worker answers each operation with the shape `ReplyOf` names.
      try: () => send(op, sql, params, session) as Promise<ReplyOf[Op]>,
      catch: (cause) => failed(cause, "Failed to execute statement")
    })

  const execute: Connection["execute"] = (sql, params, transformRows) =>
    transformRows === undefined
      ? call("exec", sql, params)
      : Effect.map(call("exec", sql, params), (rows) => transformRows(rows as Rows))

  return {
    execute,
    executeUnprepared: execute,
    executeRaw: (sql, params) => call("raw", sql, params),
    executeValues: (sql, params) => call("values", sql, params),
    // PGlite has no cursors across calls; the rows arrive at once and are streamed from memory.
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(Effect.map(execute(sql, params, transformRows), (rows) => rows as Rows))
  }
}

const open = (config: PgliteClientConfig) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => start(config.dataDir),
      catch: (cause) => failed(cause, `PGlite: failed to open ${config.dataDir ?? "an in-memory database"}`)
    }),
    (db) =>
      Effect.tryPromise(() => db.close()).pipe(
        Effect.catchAll((error) => Effect.logWarning("PGlite: close failed", error))
      )
  )

/** Opens PGlite (closed when the scope closes) and builds the client over it. */
export const make = (
  config: PgliteClientConfig
): Effect.Effect<readonly [SqlClient.SqlClient, PgliteHandle], SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function*() {
    const db = yield* open(config)
    const shared = makeConnection(db.send)
    let sessions = 0

    // Reserving does not wait: the worker orders it among the statements already sent.
    const reserve: Effect.Effect<Connection, SqlError, Scope.Scope> = Effect.uninterruptible(
      Effect.flatMap(Effect.scope, (scope) => {
        const session = ++sessions
        db.reserve(session)
        return Effect.as(Scope.addFinalizer(scope, Effect.sync(() => db.release(session))), makeConnection(db.send, session))
      })
    )

    const client = yield* SqlClient.make({
      acquirer: Effect.succeed(shared),
      transactionAcquirer: reserve,
      compiler: PgClient.makeCompiler(),
      spanAttributes: [
        ...Object.entries(config.spanAttributes ?? {}),
        ["db.system.name", "postgresql"],
        ["db.namespace", config.dataDir ?? "memory"]
      ]
    })
    return [client, { close: db.close }] as const
  })

/** `SqlClient` (and the raw `Pglite`) over a PGlite database that lives as long as the layer. */
export const layer = (config: PgliteClientConfig): Layer.Layer<SqlClient.SqlClient | Pglite, SqlError> =>
  Layer.scopedContext(
    Effect.map(make(config), ([client, db]) =>
      Context.make(SqlClient.SqlClient, client).pipe(Context.add(Pglite, db)))
  ).pipe(Layer.provide(Reactivity.layer))
