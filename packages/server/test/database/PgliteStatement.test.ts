import { PGlite, types } from "@electric-sql/pglite"
import { vector } from "@electric-sql/pglite-pgvector"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { prepareParameter, runStatement } from "../../src/Database/PgliteStatement.mjs"

// The PGlite worker runs statements with parameters through PgliteStatement.mjs instead of
// PGlite's `query`: the rows must be what `query` gives, column for column and type for type.

let db: PGlite

beforeAll(async () => {
  db = new PGlite({ extensions: { vector }, parsers: { [types.INT8]: (value: string) => value } })
  await db.exec(`
    create extension vector;
    create table probe (id int primary key, label text not null unique, tags text[], doc jsonb, at timestamptz);
    insert into probe values (1, 'one', '{a,"b c"}', '{"k": [1, 2]}', '2026-11-28 01:02:03.456+00')`)
}, 60_000)
afterAll(() => db.close())

/** Statements and parameters of every kind the repositories send. */
const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<unknown>]> = [
  ["scalars of every common type", `select 1::int2 as a, 2::int4 as b, 3::int8 as c, 1.5::float4 as d, 2.5::float8 as e,
     12.34::numeric as f, true as g, 'x'::text as h, 'y'::varchar as i, null::text as j`, []],
  ["json, jsonb and arrays", `select '{"a":1}'::json as a, doc, tags, array[1,2]::int4[] as n, array[1.5]::float8[] as f from probe`, []],
  ["dates and times", `select at, at::date as day, '01:02:03'::time as clock, interval '1 day' as span from probe`, []],
  ["uuid, bytea and vectors", `select '00000000-0000-0000-0000-000000000001'::uuid as id, '\\x0102'::bytea as bytes,
     '[1,2,3]'::vector as v`, []],
  ["text parameters", "select $1::text as a, $2::text as b, $3::text as c", ["plain", "quote ' and \\ backslash", "ünïcödé ✓"]],
  ["numbers, booleans and null as parameters", "select $1::int as a, $2::float8 as b, $3::boolean as c, $4::text as d, $5::int8 as e",
    [42, 0.25, true, null, 9007199254740993n]],
  ["a Date parameter", "select $1::timestamptz as at", [new Date("2026-11-28T01:02:03.456Z")]],
  ["an array parameter", "select $1::text[] as tags", [["a", "b c", "d\"e"]]],
  ["an object parameter", "select $1::jsonb as doc", [{ k: [1, 2], s: "x" }]],
  ["rows from a table", "select * from probe where id = $1", [1]],
  ["no rows", "select * from probe where id = $1", [99]],
  ["a write returning rows", "insert into probe (id, label) values ($1, $2) returning id, label", [2, "two"]],
  ["a write returning nothing", "update probe set label = $1 where id = $2", ["deux", 2]],
  ["two columns of one name", "select 1 as x, 2 as x", []]
]

describe("PGlite statements in one call (PgliteStatement.mjs)", () => {
  for (const [name, sql, params] of cases) {
    it(`${name}: the rows PGlite's query gives`, async () => {
      // PGlite's query on the parameters as node-postgres prepares them: the same text reaches the
      // database either way, so any difference is in how the reply is read.
      const prepared = params.map(prepareParameter)
      for (const rowMode of ["object", "array"] as const) {
        await db.exec("begin")
        const expected = await db.query(sql, prepared, { rowMode }).finally(() => db.exec("rollback"))
        await db.exec("begin")
        const rows = await runStatement(db, sql, params, rowMode === "array").finally(() => db.exec("rollback"))
        expect(rows).toEqual(expected.rows)
      }
    })
  }

  it("reads every field of the row description (column types decide the parsing)", async () => {
    const [row] = await runStatement(db, "select $1::int as n, $2::jsonb as doc, $3::int8 as big", [7, { a: 1 }, "5"], false)
    expect(row).toEqual({ n: 7, doc: { a: 1 }, big: "5" })
    const [arrays] = await runStatement(db, "select 1 as x, 2 as x", [], true)
    expect(arrays).toEqual([1, 2])
  })

  it("sends parameters as node-postgres does (what the same code sends to PostgreSQL)", async () => {
    const date = new Date("2026-11-28T01:02:03.456Z")
    const [row] = await runStatement(db, "select $1::text as date, $2::text as flag, $3::text as list, $4::text as doc",
      [date, true, ["a", "b"], { a: 1 }], false)
    // node-postgres writes a Date in local time with its offset; PGlite's serializer, in UTC with a Z.
    expect((row as { date: string }).date).toMatch(/^2026-11-2\dT\d\d:\d\d:03\.456[+-]\d\d:\d\d$/)
    expect(row).toEqual({
      date: prepareParameter(date),
      flag: "true",
      list: "{\"a\",\"b\"}",
      doc: "{\"a\":1}"
    })
  })

  it("fails with PostgreSQL's error fields, and the database stays usable", async () => {
    const failure = await runStatement(db, "insert into probe (id, label) values ($1, $2)", [3, "one"], false).then(
      () => undefined,
      (error: unknown) => error as Error & Record<string, unknown>
    )
    expect(failure).toBeInstanceOf(Error)
    expect(failure?.message).toBe(`duplicate key value violates unique constraint "probe_label_key"`)
    expect(failure).toMatchObject({
      code: "23505",
      severity: "ERROR",
      detail: "Key (label)=(one) already exists.",
      schema: "public",
      table: "probe",
      constraint: "probe_label_key"
    })
    const syntax = await runStatement(db, "selec $1", [1], false).catch((error: Error & Record<string, unknown>) => error)
    expect(syntax).toMatchObject({ code: "42601", position: "1" })
    expect(await runStatement(db, "select count(*)::int as n from probe", [], false)).toEqual([{ n: 1 }])
  })

  it("a failed statement inside a transaction leaves it for the caller to roll back, as PostgreSQL does", async () => {
    await db.exec("begin")
    await runStatement(db, "insert into probe (id, label) values ($1, $2)", [4, "four"], false)
    await expect(runStatement(db, "select 1 / $1::int as n", [0], false)).rejects.toMatchObject({ code: "22012" })
    await expect(runStatement(db, "select 1 as n", [], false)).rejects.toMatchObject({ code: "25P02" })
    await db.exec("rollback")
    expect(await runStatement(db, "select count(*)::int as n from probe where id = $1", [4], false)).toEqual([{ n: 0 }])
  })

  it("keeps nothing of a statement once it has answered (PGlite's raw call would keep every reply)", async () => {
    setFlagsFromString("--expose-gc")
    const gc = runInNewContext("gc") as () => void
    const statement = () => runStatement(db, "select $1::text as a, generate_series(1, 10) as n", ["x".repeat(200)], false)
    const heapAfter = async (statements: number) => {
      for (let i = 0; i < statements; i++) await statement()
      gc()
      return process.memoryUsage().heapUsed
    }
    const before = await heapAfter(200)
    const after = await heapAfter(3_000)
    // Kept replies would add ≈ 12 MB here; garbage from the statements themselves is collected.
    expect(after - before).toBeLessThan(3_000_000)
  })
})
