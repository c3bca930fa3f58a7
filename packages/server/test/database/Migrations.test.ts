import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { splitStatements } from "../../src/Database/SqlStatements.js"
import { defaultMigrationsDirectory, Migrations } from "../../src/Migrations.js"
import { databases } from "../support/TestDatabase.js"

/** A temporary migrations folder holding `files`, removed when the test's scope closes. */
const migrationsFolder = (files: Record<string, string>) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const directory = await mkdtemp(join(tmpdir(), "compilar-migrations-"))
      for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content)
      return directory
    }),
    (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
  )

/** Removes what a test's own migrations left, so the shared database stays as the real ones made it. */
const forget = (schema: string, versionPrefix: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`drop schema if exists ${schema} cascade`)
    yield* sql`delete from supabase_migrations.schema_migrations where version like ${versionPrefix + "%"}`
  })

describe.each(databases)("migrations on $name", ({ layer: database }) => {
  layer(Migrations.Default.pipe(Layer.provideMerge(database)), { excludeTestServices: true })((it) => {
    it.effect("applies every file in file-name order and records it as the Supabase CLI does", () =>
      Effect.gen(function*() {
        const migrations = yield* Migrations
        const sql = yield* SqlClient.SqlClient
        const files = (yield* Effect.promise(() => readdir(defaultMigrationsDirectory)))
          .filter((file) => /^\d+_.*\.sql$/.test(file))
          .sort()
        expect(files.length).toBeGreaterThan(0)

        const applied = yield* migrations.run()
        expect(applied.map((migration) => `${migration.version}_${migration.name}.sql`)).toEqual(files)

        const history = yield* sql<{ version: string; name: string; statements: Array<string> }>`
          select version, name, statements from supabase_migrations.schema_migrations order by version
        `
        expect(history.map((row) => `${row.version}_${row.name}.sql`)).toEqual(files)
        const first = yield* Effect.promise(() => readFile(join(defaultMigrationsDirectory, files[0]!), "utf8"))
        expect(history[0]!.statements).toEqual(splitStatements(first))

        // The table's shape is the one the CLI creates, so `supabase migration list` reads it.
        const columns = yield* sql<{ column_name: string; data_type: string; is_nullable: string }>`
          select column_name, data_type, is_nullable from information_schema.columns
          where table_schema = 'supabase_migrations' and table_name = 'schema_migrations'
          order by ordinal_position
        `
        expect(columns).toEqual([
          { column_name: "version", data_type: "text", is_nullable: "NO" },
          { column_name: "statements", data_type: "ARRAY", is_nullable: "YES" },
          { column_name: "name", data_type: "text", is_nullable: "YES" }
        ])
      }))

    it.effect("a second run applies nothing", () =>
      Effect.gen(function*() {
        const migrations = yield* Migrations
        expect(yield* migrations.run()).toEqual([])
        expect((yield* migrations.applied).length).toBeGreaterThan(0)
      }))

    it.effect("creates every table (framework, knowledge, accounts, assessments, coaching) in the private app schema, none in public", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const tables = yield* sql<{ table_schema: string; table_name: string }>`
          select table_schema, table_name from information_schema.tables
          where table_schema in ('app', 'public') order by table_schema, table_name
        `
        expect(tables).toEqual(
          [
            "answers",
            "assessments",
            "coaching_transcripts",
            "connections",
            "dataset_version",
            "dimensions",
            "embedding_models",
            "forces",
            "idempotency_keys",
            "knowledge_chunks",
            "knowledge_embeddings",
            "knowledge_terms",
            "modes",
            "pillars",
            "quiz_claims",
            "quiz_questions",
            "quizzes",
            "refresh_tokens",
            "results",
            "sessions",
            "users"
          ].map((table_name) => ({
            table_schema: "app",
            table_name
          }))
        )
        const vector = yield* sql<{ extname: string }>`select extname from pg_extension where extname = 'vector'`
        expect(vector).toHaveLength(1)
      }))

    it.scoped("a failing file stops the run naming it: earlier files stay applied, later ones are not tried", () =>
      Effect.gen(function*() {
        const migrations = yield* Migrations
        const sql = yield* SqlClient.SqlClient
        const directory = yield* migrationsFolder({
          "19900101000001_create.sql": "create schema broken_test;\ncreate table broken_test.t (x int primary key);",
          "19900101000002_broken.sql": "insert into broken_test.t values (1);\nselect * from broken_test.missing;",
          "19900101000003_later.sql": "create table broken_test.later (x int);"
        })

        const error = yield* Effect.flip(migrations.run(directory))
        expect(error._tag).toBe("MigrationFailed")
        if (error._tag !== "MigrationFailed") return
        expect(error.file).toBe("19900101000002_broken.sql")
        expect(error.statement).toBe(2)
        expect(error.message).toContain("19900101000002_broken.sql")
        expect(error.message).toContain("broken_test.missing")

        const recorded = yield* sql<{ version: string }>`
          select version from supabase_migrations.schema_migrations where version like '1990%' order by version
        `
        expect(recorded.map((row) => row.version)).toEqual(["19900101000001"])
        // The failing file rolled back whole: its first statement's row is gone too.
        expect(yield* sql`select x from broken_test.t`).toEqual([])
        expect(yield* sql`select to_regclass('broken_test.later') as later`).toEqual([{ later: null }])

        yield* forget("broken_test", "1990")
      }))

    it.scoped("two runners starting together apply each file exactly once", () =>
      Effect.gen(function*() {
        const migrations = yield* Migrations
        const sql = yield* SqlClient.SqlClient
        const directory = yield* migrationsFolder({
          "19910101000001_first.sql": "create schema race_test;\ncreate table race_test.t (x int);",
          "19910101000002_second.sql": "select pg_sleep(0.2);\ninsert into race_test.t values (1);"
        })

        const [a, b] = yield* Effect.all([migrations.run(directory), migrations.run(directory)], {
          concurrency: "unbounded"
        })
        expect([...a, ...b].map((migration) => migration.version).sort()).toEqual([
          "19910101000001",
          "19910101000002"
        ])
        expect(yield* sql`select x from race_test.t`).toEqual([{ x: 1 }])

        yield* forget("race_test", "1991")
      }))
  })
})
