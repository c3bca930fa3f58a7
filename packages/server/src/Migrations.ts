import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Config, type ConfigError, Data, Effect, Layer } from "effect"
import { fileURLToPath } from "node:url"
import {
  listMigrationFiles,
  type MigrationFile,
  MigrationsUnreadable,
  readStatements
} from "./Database/MigrationFiles.js"

/**
 * Applies `supabase/migrations/*.sql` at start-up and records them exactly where and how the
 * Supabase CLI does (`supabase_migrations.schema_migrations(version, statements, name)`), so
 * the same files and history also serve `supabase db push` / `supabase migration list`.
 *
 * Each pending file runs in its own transaction that first takes a transaction-scoped
 * advisory lock and re-checks the history: two instances starting together apply each file
 * once, the second one waiting and then skipping. A failing file rolls back alone: the ones
 * before it stay applied, the ones after it are not tried, and start-up stops with
 * `MigrationFailed` naming the file and the statement.
 */

export { MigrationsUnreadable }

export class MigrationFailed extends Data.TaggedError("MigrationFailed")<{
  readonly message: string
  readonly file: string
  readonly version: string
  /** 1-based index of the failing statement in the file. */
  readonly statement: number
  readonly cause: SqlError
}> {}

export type MigrationError = MigrationFailed | MigrationsUnreadable

export interface AppliedMigration {
  readonly version: string
  readonly name: string
}

/** `supabase/migrations` at the repository root, wherever the process was started from. */
export const defaultMigrationsDirectory = fileURLToPath(new URL("../../../supabase/migrations", import.meta.url))

// Any constant will do, as long as every instance uses the same one.
const migrationLockKey = 7_302_118_405

// The CLI's own statements (pkg/migration/history.go), so a history it created is ours too.
const createHistory = [
  "create schema if not exists supabase_migrations",
  "create table if not exists supabase_migrations.schema_migrations (version text not null primary key)",
  "alter table supabase_migrations.schema_migrations add column if not exists statements text[]",
  "alter table supabase_migrations.schema_migrations add column if not exists name text"
]

const causeMessage = (error: SqlError): string => {
  const cause: unknown = error.cause
  return cause instanceof Error ? cause.message : error.message
}

const excerpt = (statement: string) => {
  const oneLine = statement.replace(/\s+/g, " ")
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}...` : oneLine
}

export class Migrations extends Effect.Service<Migrations>()("Migrations", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const directory = yield* Config.string("MIGRATIONS_DIR").pipe(Config.withDefault(defaultMigrationsDirectory))

    const lock = sql.unsafe(`select pg_advisory_xact_lock(${migrationLockKey})`)

    const ensureHistory = sql.withTransaction(
      Effect.zipRight(lock, Effect.forEach(createHistory, (statement) => sql.unsafe(statement).unprepared))
    )

    /** The versions recorded in the history, oldest first. */
    const applied: Effect.Effect<ReadonlyArray<AppliedMigration>, SqlError> = Effect.zipRight(
      ensureHistory,
      sql<{ version: string; name: string | null }>`
        select version, name from supabase_migrations.schema_migrations order by version
      `.pipe(Effect.map((rows) => rows.map((row) => ({ version: row.version, name: row.name ?? "" }))))
    ).pipe(Effect.withSpan("Migrations.applied"))

    const applyOne = (migration: MigrationFile) =>
      Effect.gen(function*() {
        const statements = yield* readStatements(migration)
        return yield* sql.withTransaction(Effect.gen(function*() {
          yield* lock
          const already = yield* sql`
            select 1 from supabase_migrations.schema_migrations where version = ${migration.version}
          `
          if (already.length > 0) return false
          for (const [index, statement] of statements.entries()) {
            yield* sql.unsafe(statement).unprepared.pipe(
              Effect.mapError((cause) =>
                new MigrationFailed({
                  message: `Migration ${migration.file} failed at statement ${index + 1} of ${statements.length} ` +
                    `(${excerpt(statement)}): ${causeMessage(cause)}`,
                  file: migration.file,
                  version: migration.version,
                  statement: index + 1,
                  cause
                })
              )
            )
          }
          yield* sql`
            insert into supabase_migrations.schema_migrations (version, name, statements)
            values (${migration.version}, ${migration.name}, ${statements})
          `
          return true
        }))
      }).pipe(Effect.withSpan("Migrations.apply", { attributes: { "migration.file": migration.file } }))

    /** Applies the pending files of `from` (default: the configured folder) in file-name order. */
    const run = Effect.fn("Migrations.run")(function*(from: string = directory) {
      yield* Effect.annotateCurrentSpan("migrations.directory", from)
      const files = yield* listMigrationFiles(from)
      const done = new Set((yield* applied).map((migration) => migration.version))
      const newlyApplied: Array<AppliedMigration> = []
      for (const migration of files) {
        if (done.has(migration.version)) continue
        if (yield* applyOne(migration)) {
          yield* Effect.logInfo(`Applied migration ${migration.file}`)
          newlyApplied.push({ version: migration.version, name: migration.name })
        }
      }
      return newlyApplied as ReadonlyArray<AppliedMigration>
    })

    return { directory, applied, run } as const
  })
}) {}

/** Runs the pending migrations while the layer builds: start-up fails if one does. */
export const MigrationsLive: Layer.Layer<
  Migrations,
  MigrationError | SqlError | ConfigError.ConfigError,
  SqlClient.SqlClient
> = Layer.effectDiscard(Effect.flatMap(Migrations, (migrations) => migrations.run())).pipe(
    Layer.provideMerge(Migrations.Default)
  )
