import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Effect, Layer, Stream } from "effect"

/**
 * A `SqlClient` that answers every statement at once with one row `{ "?column?": 1 }`, for
 * HTTP tests whose subject is not the database (static files, shutdown, access log): it
 * spares them the seconds a PGlite boot costs. /health reports it as "up". Anything that
 * really reads or writes data must use `TestDatabase` instead.
 */
const row: ReadonlyArray<Record<string, unknown>> = [{ "?column?": 1 }]

const connection: Connection = {
  execute: () => Effect.succeed(row),
  executeUnprepared: () => Effect.succeed(row),
  executeRaw: () => Effect.succeed(row),
  executeValues: () => Effect.succeed([[1]]),
  executeStream: () => Stream.fromIterable(row)
}

export const stubDatabase: Layer.Layer<SqlClient.SqlClient> = Layer.effect(
  SqlClient.SqlClient,
  SqlClient.make({
    acquirer: Effect.succeed(connection),
    compiler: PgClient.makeCompiler(),
    spanAttributes: [["db.system.name", "stub"]]
  })
).pipe(Layer.provide(Reactivity.layer))
