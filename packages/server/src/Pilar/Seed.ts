import { computeDatasetVersion, dataset, datasetVersion, type PilarDataset } from "@compilar/domain"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer } from "effect"

/**
 * Puts the PILAR dataset that this build carries into the `app` tables. Idempotent by content
 * hash: `app.dataset_version` remembers the version last seeded and an equal version is
 * skipped, so a normal start costs one query. A changed dataset is upserted in one
 * transaction (rows are updated in place, never deleted, since stored answers may refer to
 * them), serialized between instances by an advisory lock.
 */

export interface SeedResult {
  readonly version: string
  /** false when the stored version already matched and nothing was written. */
  readonly seeded: boolean
}

const datasetKey = "pilar"
// Any constant will do, as long as every instance uses the same one (distinct from Migrations').
const seedLockKey = 7_302_118_406

/** 1-based position of each item among those sharing its group, in dataset order. */
const positionsWithin = <A>(items: ReadonlyArray<A>, group: (item: A) => string): Array<number> => {
  const seen = new Map<string, number>()
  return items.map((item) => {
    const position = (seen.get(group(item)) ?? 0) + 1
    seen.set(group(item), position)
    return position
  })
}

export class PilarSeed extends Effect.Service<PilarSeed>()("Pilar/Seed", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const storedVersion = sql<{ version: string }>`
      select version from app.dataset_version where dataset = ${datasetKey}
    `.pipe(Effect.map((rows) => rows[0]?.version))

    const write = (data: PilarDataset, version: string) =>
      Effect.gen(function*() {
        yield* sql`insert into app.modes ${
          sql.insert(data.modes.map((mode, index) => ({
            id: mode.id,
            position: index + 1,
            name: mode.name,
            summary: mode.summary,
            description: mode.description
          })))
        }
          on conflict (id) do update set
            position = excluded.position, name = excluded.name,
            summary = excluded.summary, description = excluded.description`

        yield* sql`insert into app.dimensions ${
          sql.insert(data.dimensions.map((dimension, index) => ({
            id: dimension.id,
            position: index + 1,
            name: dimension.name,
            letter: dimension.letter
          })))
        }
          on conflict (id) do update set
            position = excluded.position, name = excluded.name, letter = excluded.letter`

        yield* sql`insert into app.pillars ${
          sql.insert(data.pillars.map((pillar, index) => ({
            id: pillar.id,
            mode: pillar.mode,
            dimension: pillar.dimension,
            position: index + 1,
            title: pillar.title,
            abbreviation: pillar.abbreviation,
            counterpart: pillar.counterpart,
            measures: pillar.measures,
            description: pillar.description,
            high_looks_like: [...pillar.highLooksLike],
            low_looks_like: [...pillar.lowLooksLike],
            reflective_questions: [...pillar.reflectiveQuestions]
          })))
        }
          on conflict (id) do update set
            mode = excluded.mode, dimension = excluded.dimension, position = excluded.position,
            title = excluded.title, abbreviation = excluded.abbreviation,
            counterpart = excluded.counterpart, measures = excluded.measures,
            description = excluded.description, high_looks_like = excluded.high_looks_like,
            low_looks_like = excluded.low_looks_like, reflective_questions = excluded.reflective_questions`

        const forcePositions = positionsWithin(data.forces, (force) => force.pillar)
        yield* sql`insert into app.forces ${
          sql.insert(data.forces.map((force, index) => ({
            id: force.id,
            pillar: force.pillar,
            position: forcePositions[index]!,
            name: force.name,
            description: force.description,
            high_signal: force.highSignal,
            low_signal: force.lowSignal
          })))
        }
          on conflict (id) do update set
            pillar = excluded.pillar, position = excluded.position, name = excluded.name,
            description = excluded.description, high_signal = excluded.high_signal,
            low_signal = excluded.low_signal`

        yield* sql`insert into app.connections ${
          sql.insert(data.connections.map((connection) => ({
            id: connection.id,
            mode: connection.mode,
            from_pillar: connection.from,
            to_pillar: connection.to,
            name: connection.name,
            type: connection.type,
            strength: connection.strength,
            description: connection.description,
            example: connection.example
          })))
        }
          on conflict (id) do update set
            mode = excluded.mode, from_pillar = excluded.from_pillar, to_pillar = excluded.to_pillar,
            name = excluded.name, type = excluded.type, strength = excluded.strength,
            description = excluded.description, example = excluded.example`

        yield* sql`
          insert into app.dataset_version (dataset, version) values (${datasetKey}, ${version})
          on conflict (dataset) do update set version = excluded.version, seeded_at = now()
        `
      })

    /** Seeds `data` (default: the dataset of this build) unless its version is already stored. */
    const run = Effect.fn("PilarSeed.run")(function*(data: PilarDataset = dataset) {
      const version = data === dataset ? datasetVersion : computeDatasetVersion(data)
      yield* Effect.annotateCurrentSpan("dataset.version", version)
      // Cheap check first, outside any lock: the common case is an unchanged dataset.
      if ((yield* storedVersion) === version) return { version, seeded: false } satisfies SeedResult
      return yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql.unsafe(`select pg_advisory_xact_lock(${seedLockKey})`)
        // Another instance may have seeded while this one waited for the lock.
        if ((yield* storedVersion) === version) return { version, seeded: false } satisfies SeedResult
        yield* write(data, version)
        yield* Effect.logInfo(`Seeded PILAR dataset ${version}`)
        return { version, seeded: true } satisfies SeedResult
      }))
    })

    return { run } as const
  })
}) {}

/** Seeds while the layer builds, so the server never starts without its framework data. */
export const PilarSeedLive: Layer.Layer<PilarSeed, SqlError, SqlClient.SqlClient> = Layer.effectDiscard(
  Effect.flatMap(PilarSeed, (seed) => seed.run())
).pipe(Layer.provideMerge(PilarSeed.Default))
