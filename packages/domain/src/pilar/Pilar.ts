import { Option, Schema } from "effect"
import { connections } from "./data/connections.js"
import { dimensions } from "./data/dimensions.js"
import { forces } from "./data/forces.js"
import { modes } from "./data/modes.js"
import { pillars } from "./data/pillars.js"
import {
  Connection,
  Dimension,
  Force,
  Mode,
  Pillar,
  type ConnectionId,
  type ForceId,
  type ModeId,
  type PillarId
} from "./Schema.js"

/**
 * The PILAR dataset: the one canonical, versioned copy of the framework's facts and our text about
 * them. Pure data and pure lookups; no Node imports (this module is also bundled for the browser).
 */

export { connections, dimensions, forces, modes, pillars }

/** The whole dataset as one value (what the server seeds and what `datasetVersion` hashes). */
export const PilarDataset = Schema.Struct({
  modes: Schema.Array(Mode),
  dimensions: Schema.Array(Dimension),
  pillars: Schema.Array(Pillar),
  forces: Schema.Array(Force),
  connections: Schema.Array(Connection)
}).annotations({ identifier: "PilarDataset" })
export type PilarDataset = typeof PilarDataset.Type

export const dataset: PilarDataset = { modes, dimensions, pillars, forces, connections }

// ── Content hash ─────────────────────────────────────────────────────────────

/** 32-bit FNV-1a over the UTF-8 bytes of `text`, as 8 lowercase hex digits. Pure JS. */
export const fnv1a32 = (text: string): string => {
  let hash = 0x811c9dc5
  const step = (byte: number): void => {
    hash = Math.imul(hash ^ byte, 0x01000193)
  }
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0
    if (cp < 0x80) {
      step(cp)
    } else if (cp < 0x800) {
      step(0xc0 | (cp >> 6))
      step(0x80 | (cp & 0x3f))
    } else if (cp < 0x10000) {
      step(0xe0 | (cp >> 12))
      step(0x80 | ((cp >> 6) & 0x3f))
      step(0x80 | (cp & 0x3f))
    } else {
      step(0xf0 | (cp >> 18))
      step(0x80 | ((cp >> 12) & 0x3f))
      step(0x80 | ((cp >> 6) & 0x3f))
      step(0x80 | (cp & 0x3f))
    }
  }
  return (hash >>> 0).toString(16).padStart(8, "0")
}

/** `pilar-<fnv1a32 of the JSON-encoded dataset>`: changes whenever any fact or text changes. */
export const computeDatasetVersion = (data: PilarDataset): string =>
  `pilar-${fnv1a32(JSON.stringify(Schema.encodeSync(PilarDataset)(data)))}`

/** The version of the dataset this build carries, computed once at module load. */
export const datasetVersion: string = computeDatasetVersion(dataset)

// ── Lookups ──────────────────────────────────────────────────────────────────

const pillarIndex: ReadonlyMap<string, Pillar> = new Map(pillars.map((p) => [p.id, p]))
const forceIndex: ReadonlyMap<string, Force> = new Map(forces.map((f) => [f.id, f]))
const connectionIndex: ReadonlyMap<string, Connection> = new Map(connections.map((c) => [c.id, c]))

/** The pillar with this id; `None` for an unknown id (accepts raw strings from outside). */
export const pillarById = (id: PillarId | string): Option.Option<Pillar> => Option.fromNullable(pillarIndex.get(id))

/** The force with this id; `None` for an unknown id. */
export const forceById = (id: ForceId | string): Option.Option<Force> => Option.fromNullable(forceIndex.get(id))

/** The connection with this id; `None` for an unknown id. */
export const connectionById = (id: ConnectionId | string): Option.Option<Connection> =>
  Option.fromNullable(connectionIndex.get(id))

/** The five pillars of a mode, in dimension order (P, I, L, A, R). */
export const pillarsOf = (mode: ModeId): ReadonlyArray<Pillar> => pillars.filter((p) => p.mode === mode)

/** The four forces of a pillar, in PILAR.md order. */
export const forcesOf = (pillarId: PillarId): ReadonlyArray<Force> => forces.filter((f) => f.pillar === pillarId)

/** The twenty connections of a mode, in id order. */
export const connectionsOf = (mode: ModeId): ReadonlyArray<Connection> => connections.filter((c) => c.mode === mode)

/** The four connections whose source is this pillar, in id order. */
export const connectionsFrom = (pillarId: PillarId): ReadonlyArray<Connection> =>
  connections.filter((c) => c.from === pillarId)

/** The four connections whose target is this pillar, in id order. */
export const connectionsTo = (pillarId: PillarId): ReadonlyArray<Connection> =>
  connections.filter((c) => c.to === pillarId)
