import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Deferred, Effect, Fiber, Layer } from "effect"
import { existsSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Database, DatabaseLive, layerPglite } from "../../src/Database.js"
import { Migrations } from "../../src/Migrations.js"
import { PilarSeed } from "../../src/Pilar/Seed.js"

// What only PGlite needs proving: one connection shared safely, and data that survives a restart.

describe("PGlite client", () => {
  layer(Database.Default.pipe(Layer.provideMerge(layerPglite())), { excludeTestServices: true })((it) => {
    it.effect("a statement from another fiber waits for an open transaction instead of joining it", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create table serial_probe (n int)`
        const firstInsertDone = yield* Deferred.make<void>()

        const writer = yield* Effect.fork(sql.withTransaction(Effect.gen(function*() {
          yield* sql`insert into serial_probe values (1)`
          yield* Deferred.succeed(firstInsertDone, undefined)
          yield* Effect.sleep("100 millis")
          yield* sql`insert into serial_probe values (2)`
        })))
        yield* Deferred.await(firstInsertDone)
        // Were it let in, this would run inside the writer's transaction and see one row.
        const seen = yield* sql<{ n: number }>`select count(*)::int as n from serial_probe`
        yield* Fiber.join(writer)
        expect(seen).toEqual([{ n: 2 }])
      }))

    it.effect("concurrent read-modify-write transactions never lose an update", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create table counter (id int primary key, value int not null)`
        yield* sql`insert into counter values (1, 0)`
        const increment = sql.withTransaction(Effect.gen(function*() {
          const [row] = yield* sql<{ value: number }>`select value from counter where id = 1`
          yield* Effect.yieldNow()
          yield* sql`update counter set value = ${row!.value + 1} where id = 1`
        }))
        yield* Effect.all(Array.from({ length: 20 }, () => increment), { concurrency: "unbounded" })
        expect(yield* sql`select value from counter`).toEqual([{ value: 20 }])
      }))

    it.effect("a transaction interrupted while it holds the database lets go of it, rolled back", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create table interrupted_probe (n int)`
        const inserted = yield* Deferred.make<void>()
        const holder = yield* Effect.fork(sql.withTransaction(Effect.gen(function*() {
          yield* sql`insert into interrupted_probe values (1)`
          yield* Deferred.succeed(inserted, undefined)
          yield* Effect.never
        })))
        yield* Deferred.await(inserted)
        // Sent while the transaction holds the database: it waits in the worker until the release.
        const waiting = yield* Effect.fork(sql<{ n: number }>`select count(*)::int as n from interrupted_probe`)
        yield* Fiber.interrupt(holder)
        expect(yield* Fiber.join(waiting)).toEqual([{ n: 0 }])
      }))

    it.effect("statements sent together are answered each with its own rows", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const answers = yield* Effect.all(
          Array.from({ length: 50 }, (_, i) => sql<{ n: number }>`select ${i}::int as n`),
          { concurrency: "unbounded" }
        )
        expect(answers).toEqual(Array.from({ length: 50 }, (_, i) => [{ n: i }]))
      }))

    it.effect("after a failed statement in a transaction the connection is usable again", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const error = yield* sql`select * from no_such_table`.pipe(sql.withTransaction, Effect.flip)
        expect(error._tag).toBe("SqlError")
        expect(yield* sql`select 1 as one`).toEqual([{ one: 1 }])
      }))

    it.effect("ping reports the database unavailable when it cannot answer within 2 s", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const database = yield* Database
        const holding = yield* Deferred.make<void>()
        const blocker = yield* Effect.fork(
          sql.withTransaction(Effect.zipRight(Deferred.succeed(holding, undefined), Effect.sleep("2500 millis")))
        )
        yield* Deferred.await(holding)
        const error = yield* Effect.flip(database.ping)
        expect(error._tag).toBe("DatabaseUnavailable")
        expect(error.message).toContain("2s")
        yield* Fiber.join(blocker)
        expect(yield* database.ping).toBeLessThan(2000)
      }))

    it.effect("runs several statements in one string without parameters, like node-postgres", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const results = yield* sql.unsafe("select 1 as a; select 2 as b").unprepared
        expect(results).toEqual([[{ a: 1 }], [{ b: 2 }]])
      }))
  })

  it.live("keeps its data on disk across restarts, under DATA_DIR when chosen by config", () =>
    Effect.gen(function*() {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "compilar-pglite-"))),
        (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
      )

      // First start: configuration alone (no DATABASE_URL) picks PGlite under DATA_DIR, migrates, seeds.
      const configured = DatabaseLive.pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["DATA_DIR", dataDir]]))))
      )
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create table app.restart_probe (note text)`
        yield* sql`insert into app.restart_probe values ('still here')`
      }).pipe(Effect.provide(configured))
      expect(existsSync(join(dataDir, "pglite", "PG_VERSION"))).toBe(true)

      // Second start, on the same files: nothing to migrate or seed, and the row is back.
      yield* Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        expect(yield* sql`select note from app.restart_probe`).toEqual([{ note: "still here" }])
        expect(yield* (yield* Migrations).run()).toEqual([])
        expect((yield* (yield* PilarSeed).run()).seeded).toBe(false)
      }).pipe(
        Effect.provide(
          Layer.mergeAll(Migrations.Default, PilarSeed.Default).pipe(
            Layer.provideMerge(layerPglite({ dataDir: join(dataDir, "pglite") }))
          )
        )
      )
    }).pipe(Effect.scoped))
})
