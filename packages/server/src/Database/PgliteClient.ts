import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { PGlite, types, type Results } from "@electric-sql/pglite"
import { vector } from "@electric-sql/pglite-pgvector"
import { Context, Effect, Layer, Scope, Stream } from "effect"
import { mkdir } from "node:fs/promises"

/**
 * An @effect/sql `SqlClient` over PGlite (PostgreSQL compiled to WebAssembly, in process).
 *
 * PGlite is a single backend: one session, so one connection. Statements outside a
 * transaction each take the one permit of a semaphore; a transaction takes it for its whole
 * scope, so no other fiber's statement can land inside someone else's BEGIN … COMMIT (the
 * same arrangement as `@effect/sql-sqlite-node`). A fiber inside a transaction that forks
 * work keeps the transaction's connection through its context; code that escapes that
 * context (a daemon fiber) and queries while the transaction is open waits for it to end.
 */

export interface PgliteClientConfig {
  /** Directory for the database files; created when missing. Omitted: in memory. */
  readonly dataDir?: string | undefined
  readonly spanAttributes?: Record<string, unknown> | undefined
}

/** The running PGlite instance, for the few callers that need more than SQL (tests, dumps). */
export class Pglite extends Context.Tag("Database/Pglite")<Pglite, PGlite>() {}

type Rows = ReadonlyArray<Record<string, unknown>>

const failed = (cause: unknown, message: string) => new SqlError({ cause, message })

/** Same shape as node-postgres gives `@effect/sql-pg`: one result's rows, or one array per statement. */
const rowsOf = (results: ReadonlyArray<Results<Record<string, unknown>>>): Rows | ReadonlyArray<Rows> =>
  results.length === 1 ? results[0]!.rows : results.map((result) => result.rows)

const makeConnection = (
  db: PGlite,
  guard: <A>(effect: Effect.Effect<A, SqlError>) => Effect.Effect<A, SqlError>
): Connection => {
  // Without parameters, use the simple protocol as node-postgres does: several statements
  // may then travel in one string (migrations rely on it). With parameters, one statement.
  const run = (sql: string, params: ReadonlyArray<unknown>) =>
    guard(Effect.tryPromise({
      try: (): Promise<Rows | ReadonlyArray<Rows>> =>
        params.length === 0
          ? db.exec(sql).then(rowsOf)
          : db.query<Record<string, unknown>>(sql, [...params]).then((result) => result.rows),
      catch: (cause) => failed(cause, "Failed to execute statement")
    }))

  const execute: Connection["execute"] = (sql, params, transformRows) =>
    transformRows === undefined
      ? run(sql, params)
      : Effect.map(run(sql, params), (rows) => transformRows(rows as Rows))

  return {
    execute,
    executeUnprepared: execute,
    executeRaw: (sql, params) =>
      guard(Effect.tryPromise({
        try: (): Promise<unknown> => params.length === 0 ? db.exec(sql) : db.query(sql, [...params]),
        catch: (cause) => failed(cause, "Failed to execute statement")
      })),
    executeValues: (sql, params) =>
      guard(Effect.tryPromise({
        try: () =>
          db.query<Array<unknown>>(sql, [...params], { rowMode: "array" }).then((result) => result.rows),
        catch: (cause) => failed(cause, "Failed to execute statement")
      })),
    // PGlite has no cursors across calls; the rows arrive at once and are streamed from memory.
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(Effect.map(execute(sql, params, transformRows), (rows) => rows as Rows))
  }
}

const open = (config: PgliteClientConfig) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        if (config.dataDir !== undefined) await mkdir(config.dataDir, { recursive: true })
        const db = new PGlite({
          ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
          // The options-object form: the (dataDir, options) form was seen to ignore extensions.
          extensions: { vector },
          // node-postgres leaves int8 as a string (it may not fit a double); so must we, or the
          // same repository code would decode differently on the two databases.
          parsers: { [types.INT8]: (value: string) => value }
        })
        await db.waitReady
        return db
      },
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
): Effect.Effect<readonly [SqlClient.SqlClient, PGlite], SqlError, Scope.Scope | Reactivity.Reactivity> =>
  Effect.gen(function*() {
    const db = yield* open(config)
    const semaphore = yield* Effect.makeSemaphore(1)

    const shared = makeConnection(db, semaphore.withPermits(1))
    // Used only while the permit is held for a transaction's (or reservation's) scope.
    const reserved = makeConnection(db, (effect) => effect)

    const reserve: Effect.Effect<Connection, SqlError, Scope.Scope> = Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(Effect.scope, (scope) =>
        restore(semaphore.take(1)).pipe(
          Effect.zipRight(Scope.addFinalizer(scope, semaphore.release(1))),
          Effect.as(reserved)
        ))
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
    return [client, db] as const
  })

/** `SqlClient` (and the raw `Pglite`) over a PGlite database that lives as long as the layer. */
export const layer = (config: PgliteClientConfig): Layer.Layer<SqlClient.SqlClient | Pglite, SqlError> =>
  Layer.scopedContext(
    Effect.map(make(config), ([client, db]) =>
      Context.make(SqlClient.SqlClient, client).pipe(Context.add(Pglite, db)))
  ).pipe(Layer.provide(Reactivity.layer))
