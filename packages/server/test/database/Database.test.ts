import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Database } from "../../src/Database.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { databases } from "../support/TestDatabase.js"

describe.each(databases)("database on $name", ({ layer: database }) => {
  const migrated = Database.Default.pipe(Layer.provideMerge(MigrationsLive), Layer.provideMerge(database))

  layer(migrated, { excludeTestServices: true })((it) => {
    it.effect("ping answers with its latency", () =>
      Effect.gen(function*() {
        const latency = yield* (yield* Database).ping
        expect(latency).toBeGreaterThanOrEqual(0)
        expect(latency).toBeLessThan(2000)
      }))

    it.effect("stores vectors and orders them by cosine distance", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create temporary table embeddings (id text primary key, embedding vector(3) not null)`
        yield* sql`
          insert into embeddings values
            ('same', ${"[1,0,0]"}), ('close', ${"[0.9,0.1,0]"}), ('orthogonal', ${"[0,1,0]"}), ('opposite', ${"[-1,0,0]"})
        `
        const rows = yield* sql<{ id: string; distance: number }>`
          select id, embedding <=> ${"[1,0,0]"}::vector as distance from embeddings order by distance
        `
        expect(rows.map((row) => row.id)).toEqual(["same", "close", "orthogonal", "opposite"])
        expect(rows[0]!.distance).toBeCloseTo(0)
        expect(rows[2]!.distance).toBeCloseTo(1)
        expect(rows[3]!.distance).toBeCloseTo(2)
      }))

    it.effect("a failing transaction rolls back; a failing savepoint rolls back alone", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* sql`create temporary table ledger (entry text primary key)`

        const failed = yield* sql`insert into ledger values ('lost')`.pipe(
          Effect.zipRight(Effect.fail("boom" as const)),
          sql.withTransaction,
          Effect.flip
        )
        expect(failed).toBe("boom")
        expect(yield* sql`select entry from ledger`).toEqual([])

        yield* sql`insert into ledger values ('outer')`.pipe(
          Effect.zipRight(
            sql`insert into ledger values ('inner')`.pipe(
              Effect.zipRight(Effect.fail("inner failed" as const)),
              sql.withTransaction,
              Effect.ignore
            )
          ),
          sql.withTransaction
        )
        expect(yield* sql`select entry from ledger`).toEqual([{ entry: "outer" }])
      }))

    it.effect("returns the same JavaScript values from both databases", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const [row] = yield* sql`
          select 9007199254740993::int8 as big, 4::int4 as int, 1.25::numeric as exact, 0.5::float8 as float,
                 true as flag, array['a', 'b'] as list, '{"k": [1]}'::jsonb as doc,
                 '2026-01-02T03:04:05Z'::timestamptz as at, ${"x"}::text as param
        `
        expect(row).toEqual({
          big: "9007199254740993",
          int: 4,
          exact: "1.25",
          float: 0.5,
          flag: true,
          list: ["a", "b"],
          doc: { k: [1] },
          at: new Date("2026-01-02T03:04:05Z"),
          param: "x"
        })
      }))
  })
})
