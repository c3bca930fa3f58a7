import type * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import pg from "pg"
import { layerPglite, layerPostgres } from "../../src/Database.js"

/**
 * The databases a database test runs on: PGlite in memory always, and PostgreSQL as well when
 * `DATABASE_URL` is set (CI). Each layer build is a fresh, empty database: for PostgreSQL a
 * randomly named one created on the server of `DATABASE_URL` (CI's server keeps whatever
 * earlier runs left) with pgvector enabled, dropped again when the layer's scope closes.
 *
 *   describe.each(databases)("$name", ({ layer: database }) => {
 *     layer(Layer.provideMerge(MigrationsLive, database), { excludeTestServices: true })((it) => {
 *       it.effect("…", () => Effect.gen(function*() { const sql = yield* SqlClient.SqlClient; … }))
 *     })
 *   })
 */

export type DatabaseName = "pglite" | "postgres"

export interface TestDatabase {
  readonly name: DatabaseName
  readonly layer: Layer.Layer<SqlClient.SqlClient, SqlError>
}

const adminQuery = (url: string, statement: string) =>
  Effect.tryPromise({
    try: async () => {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        await client.query(statement)
      } finally {
        await client.end()
      }
    },
    catch: (cause) => new SqlError({ cause, message: `Test database: ${statement} failed` })
  })

/** A fresh database on the server of `serverUrl`, dropped (connections and all) afterwards. */
export const freshPostgres = (serverUrl: string): Layer.Layer<SqlClient.SqlClient, SqlError> =>
  Layer.unwrapScoped(Effect.gen(function*() {
    const name = `compilar_test_${randomBytes(6).toString("hex")}`
    yield* Effect.acquireRelease(
      adminQuery(serverUrl, `create database ${name}`),
      () =>
        adminQuery(serverUrl, `drop database if exists ${name} with (force)`).pipe(
          Effect.catchAll((error) => Effect.logWarning(`Test database ${name} was not dropped`, error))
        )
    )
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    yield* adminQuery(url.toString(), "create extension if not exists vector")
    return layerPostgres(url.toString())
  }))

const serverUrl = process.env["DATABASE_URL"]?.trim() || undefined

if (serverUrl === undefined) {
  console.info("[TestDatabase] DATABASE_URL is not set: PostgreSQL tests skipped, running on PGlite only")
}

export const pglite: TestDatabase = { name: "pglite", layer: layerPglite() }

export const databases: ReadonlyArray<TestDatabase> = serverUrl === undefined
  ? [pglite]
  : [pglite, { name: "postgres", layer: freshPostgres(serverUrl) }]
