import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Config, type ConfigError, Data, Duration, Effect, Layer, Option, Redacted } from "effect"
import { join } from "node:path"
import * as PgliteClient from "./Database/PgliteClient.js"
import { type MigrationError, MigrationsLive } from "./Migrations.js"
import { PilarSeedLive } from "./Pilar/Seed.js"

/**
 * Which database the server talks to, chosen once from config:
 * `DATABASE_URL` set → PostgreSQL through `@effect/sql-pg`; unset → PGlite embedded, with its
 * files under `<DATA_DIR>/pglite` (`DATA_DIR` defaults to `./.data`). Both come out as the
 * same `SqlClient`, and nothing else in the server knows which one it got.
 */

export class DatabaseUnavailable extends Data.TaggedError("DatabaseUnavailable")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** PGlite in process: on disk under `dataDir`, or in memory when it is omitted (tests). */
export const layerPglite = (
  options: { readonly dataDir?: string | undefined } = {}
): Layer.Layer<SqlClient.SqlClient | PgliteClient.Pglite, SqlError> => PgliteClient.layer(options)

/** PostgreSQL (Supabase, CI's server, …) through a `pg` pool. */
export const layerPostgres = (
  url: Redacted.Redacted | string
): Layer.Layer<SqlClient.SqlClient | PgClient.PgClient, SqlError> =>
  PgClient.layer({
    url: Redacted.isRedacted(url) ? url : Redacted.make(url),
    applicationName: "compilar"
  })

const databaseUrl = Config.option(Config.redacted("DATABASE_URL")).pipe(
  // `DATABASE_URL=` (set but empty) means "no database server", as unset does.
  Config.map(Option.filter((url) => Redacted.value(url).trim() !== ""))
)
/** `DATA_DIR`: the embedded data folder (PGlite files, the generated token key). One definition. */
export const dataDir = Config.string("DATA_DIR").pipe(Config.withDefault("./.data"))

/** The `SqlClient` the configuration asks for, without migrations or data. */
export const SqlLive: Layer.Layer<SqlClient.SqlClient, ConfigError.ConfigError | SqlError> = Layer.unwrapEffect(
  Effect.gen(function*() {
    const url = yield* databaseUrl
    if (Option.isSome(url)) {
      yield* Effect.logInfo("Database: PostgreSQL from DATABASE_URL")
      return layerPostgres(url.value)
    }
    const directory = join(yield* dataDir, "pglite")
    yield* Effect.logInfo(`Database: embedded PGlite in ${directory}`)
    return layerPglite({ dataDir: directory })
  })
)

const pingTimeout = Duration.seconds(2)

/** Health probe over whichever database is configured. */
export class Database extends Effect.Service<Database>()("Database", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** Round trip of `select 1` in milliseconds; fails when it errors or takes over 2 s. */
    const ping: Effect.Effect<number, DatabaseUnavailable> = sql`select 1`.pipe(
      Effect.timed,
      Effect.map(([elapsed]) => Duration.toMillis(elapsed)),
      Effect.catchAll((cause) =>
        Effect.fail(new DatabaseUnavailable({ message: `Database query failed: ${cause.message}`, cause }))
      ),
      Effect.timeoutFail({
        duration: pingTimeout,
        onTimeout: () =>
          new DatabaseUnavailable({ message: `Database did not answer within ${Duration.format(pingTimeout)}` })
      }),
      Effect.withSpan("Database.ping")
    )

    return { ping } as const
  })
}) {}

/**
 * Everything the server needs from its database, ready to use: the configured `SqlClient`,
 * migrated and seeded with the PILAR dataset before anything else starts, plus the probe.
 */
export const DatabaseLive: Layer.Layer<
  Database | SqlClient.SqlClient,
  ConfigError.ConfigError | SqlError | MigrationError
> = Layer.mergeAll(Database.Default, PilarSeedLive).pipe(
  Layer.provideMerge(MigrationsLive),
  Layer.provideMerge(SqlLive)
)
