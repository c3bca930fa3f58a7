import { describe, expect, it } from "@effect/vitest"
import { splitStatements } from "../../src/Database/SqlStatements.js"

describe("splitStatements (as the Supabase CLI records a migration)", () => {
  it("splits at semicolons, trims, drops the trailing semicolon and empty statements", () => {
    expect(splitStatements("create table a (x int);\n\n  insert into a values (1);;\n")).toEqual([
      "create table a (x int)",
      "insert into a values (1)"
    ])
  })

  it("keeps comments with the statement that follows them, and a trailing comment alone", () => {
    expect(splitStatements("-- first; still a comment\nselect 1;\n/* block; /* nested; */ */ select 2;\n-- end"))
      .toEqual([
        "-- first; still a comment\nselect 1",
        "/* block; /* nested; */ */ select 2",
        "-- end"
      ])
  })

  it("does not split inside strings, quoted identifiers, dollar quotes or parentheses", () => {
    const script = [
      "insert into t values ('a;b', 'it''s; fine', E'esc\\'; still')",
      "select \"odd;name\" from t",
      "do $$ begin perform 1; perform 2; end $$",
      "create function f() returns int language sql as $body$ select 1; $body$",
      "create rule r as on insert to t do also (insert into u values (1); insert into u values (2))",
      "select $1::int"
    ]
    expect(splitStatements(script.join(";\n") + ";")).toEqual(script)
  })

  it("keeps a BEGIN ATOMIC body in one statement", () => {
    const script = "create function g() returns int language sql begin atomic select 1; select 2; end;\nselect 3;"
    expect(splitStatements(script)).toEqual([
      "create function g() returns int language sql begin atomic select 1; select 2; end",
      "select 3"
    ])
  })
})
