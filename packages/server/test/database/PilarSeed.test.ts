import { dataset, datasetVersion, Force } from "@compilar/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeed } from "../../src/Pilar/Seed.js"
import { databases } from "../support/TestDatabase.js"

const counts = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<Record<string, string>>`
    select
      (select count(*) from app.modes) as modes,
      (select count(*) from app.dimensions) as dimensions,
      (select count(*) from app.pillars) as pillars,
      (select count(*) from app.forces) as forces,
      (select count(*) from app.connections) as connections
  `
  return row
})

describe.each(databases)("PILAR seed on $name", ({ layer: database }) => {
  const seeded = PilarSeed.Default.pipe(Layer.provideMerge(MigrationsLive), Layer.provideMerge(database))

  layer(seeded, { excludeTestServices: true })((it) => {
    it.effect("seeds the whole dataset once and records its version", () =>
      Effect.gen(function*() {
        const seed = yield* PilarSeed
        const sql = yield* SqlClient.SqlClient

        expect(yield* seed.run()).toEqual({ version: datasetVersion, seeded: true })
        // count(*) is int8: a string on both databases, as node-postgres returns it.
        expect(yield* counts).toEqual({ modes: "2", dimensions: "5", pillars: "10", forces: "40", connections: "40" })
        expect(yield* sql`select version from app.dataset_version where dataset = 'pilar'`).toEqual([
          { version: datasetVersion }
        ])
      }))

    it.effect("a second seed of the same version writes nothing", () =>
      Effect.gen(function*() {
        const seed = yield* PilarSeed
        const sql = yield* SqlClient.SqlClient
        const [before] = yield* sql<{ seeded_at: Date }>`select seeded_at from app.dataset_version`

        expect(yield* seed.run()).toEqual({ version: datasetVersion, seeded: false })
        expect(yield* sql<{ seeded_at: Date }>`select seeded_at from app.dataset_version`).toEqual([before])
        expect(yield* counts).toEqual({ modes: "2", dimensions: "5", pillars: "10", forces: "40", connections: "40" })
      }))

    it.effect("stores the facts: 13 reinforce, 5 inverse, 2 discretionary per mode; 4 forces per pillar", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const types = yield* sql<{ mode: string; type: string; n: string }>`
          select mode, type, count(*) as n from app.connections group by mode, type order by mode, type
        `
        expect(types).toEqual([
          { mode: "egalitarian", type: "discretionary", n: "2" },
          { mode: "egalitarian", type: "inverse", n: "5" },
          { mode: "egalitarian", type: "reinforce", n: "13" },
          { mode: "hierarchical", type: "discretionary", n: "2" },
          { mode: "hierarchical", type: "inverse", n: "5" },
          { mode: "hierarchical", type: "reinforce", n: "13" }
        ])
        const perPillar = yield* sql<{ n: string }>`
          select distinct count(*) as n from app.forces group by pillar
        `
        expect(perPillar).toEqual([{ n: "4" }])
        const [scapegoating] = yield* sql<{ name: string; strength: number; from_pillar: string }>`
          select name, strength, from_pillar from app.connections where id = 'ECP-04'
        `
        expect(scapegoating).toEqual({ name: "Scapegoating", strength: 0.85, from_pillar: "grpprosp" })
        const [pillar] = yield* sql<{ counterpart: string; reflective_questions: Array<string> }>`
          select counterpart, reflective_questions from app.pillars where id = 'divsexp'
        `
        expect(pillar?.counterpart).toBe("normexp")
        expect(pillar?.reflective_questions.length).toBeGreaterThan(0)
      }))

    it.effect("a changed dataset is upserted in place under its new version", () =>
      Effect.gen(function*() {
        const seed = yield* PilarSeed
        const sql = yield* SqlClient.SqlClient
        const [first, ...rest] = dataset.forces
        const changed = {
          ...dataset,
          forces: [new Force({ ...first!, description: "A reworded description." }), ...rest]
        }

        const result = yield* seed.run(changed)
        expect(result.seeded).toBe(true)
        expect(result.version).not.toBe(datasetVersion)
        expect(yield* sql`select description from app.forces where id = ${first!.id}`).toEqual([
          { description: "A reworded description." }
        ])
        expect(yield* counts).toEqual({ modes: "2", dimensions: "5", pillars: "10", forces: "40", connections: "40" })

        // Back to this build's dataset, as the next start-up would do.
        expect(yield* seed.run()).toEqual({ version: datasetVersion, seeded: true })
        expect(yield* sql`select description from app.forces where id = ${first!.id}`).toEqual([
          { description: first!.description }
        ])
      }))

    it.effect("the schema rejects what the framework rules out", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const insert = (type: string, strength: number, name: string | null) =>
          sql`
            insert into app.connections (id, mode, from_pillar, to_pillar, name, type, strength, description, example)
            values ('ECP-99', 'egalitarian', 'grpprosp', 'status', ${name}, ${type}, ${strength}, '', '')
          `.pipe(Effect.flip, Effect.map((error) => error._tag))
        // Unknown type, strength above 1, and a target pillar from the other mode.
        expect(yield* insert("bogus", 0.5, "x")).toBe("SqlError")
        expect(yield* insert("reinforce", 1.5, "x")).toBe("SqlError")
        expect(yield* insert("reinforce", 0.5, "x")).toBe("SqlError")
        expect(yield* sql`select id from app.connections where id = 'ECP-99'`).toEqual([])
      }))
  })
})
