import {
  type Connection,
  connectionById,
  connectionsOf,
  type ConnectionType,
  type Dimension,
  dimensions,
  type Force,
  forceById,
  forcesOf,
  type Mode,
  type ModeId,
  modes,
  type Pillar,
  pillarById,
  pillarsOf
} from "@compilar/domain"
import { Option } from "effect"

/**
 * The explorer's view of the PILAR dataset: per mode, the five pillars (P, I, L, A, R), their
 * forces and their twenty directed connections, plus the selection that lives in the URL
 * (`?mode=…&select=pillar:<id> | force:<id> | connection:<id>`). The dataset ships in the bundle,
 * so the page renders without a round trip.
 */

export interface ExplorerPillar {
  readonly pillar: Pillar
  readonly dimension: Dimension
  readonly forces: ReadonlyArray<Force>
}

export interface ExplorerModel {
  readonly mode: Mode
  readonly pillars: ReadonlyArray<ExplorerPillar>
  readonly connections: ReadonlyArray<Connection>
}

export type Selection =
  | { readonly kind: "pillar"; readonly pillar: Pillar }
  | { readonly kind: "force"; readonly force: Force; readonly pillar: Pillar }
  | { readonly kind: "connection"; readonly connection: Connection }

const invariant = (what: string): never => {
  throw new Error(`The PILAR dataset is missing ${what}`)
}

const modeById = (id: ModeId): Mode => modes.find((m) => m.id === id) ?? invariant(`mode ${id}`)

export const dimensionOf = (pillar: Pillar): Dimension =>
  dimensions.find((d) => d.id === pillar.dimension) ?? invariant(`dimension ${pillar.dimension}`)

const dimensionRank = (pillar: Pillar): number => dimensions.findIndex((d) => d.id === pillar.dimension)

/** The explorer for one mode: pillars in acronym order, each with its four forces; connections in id order. */
export const explorerOf = (mode: ModeId): ExplorerModel => ({
  mode: modeById(mode),
  pillars: [...pillarsOf(mode)]
    .sort((a, b) => dimensionRank(a) - dimensionRank(b))
    .map((pillar) => ({ pillar, dimension: dimensionOf(pillar), forces: forcesOf(pillar.id) })),
  connections: connectionsOf(mode)
})

/** The four forces of a pillar, in PILAR.md order. */
export const forcesOfPillar = (id: Pillar["id"]): ReadonlyArray<Force> => forcesOf(id)

export const allModes: ReadonlyArray<Mode> = modes

// ── URL ──────────────────────────────────────────────────────────────────────

const first = (raw: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof raw === "string" ? raw : raw?.[0]

export const pillarOf = (id: string): Pillar =>
  Option.getOrElse(pillarById(id), () => invariant(`pillar ${id}`))

/**
 * Reads `?select=`: `pillar:<id>`, `force:<id>` or `connection:<id>` naming something in the
 * dataset; anything else is no selection.
 */
export const parseSelection = (raw: string | ReadonlyArray<string> | undefined): Selection | undefined => {
  const value = first(raw)?.trim()
  if (value === undefined) return undefined
  const colon = value.indexOf(":")
  if (colon < 0) return undefined
  const kind = value.slice(0, colon).toLowerCase()
  const id = value.slice(colon + 1)
  switch (kind) {
    case "pillar":
      return Option.match(pillarById(id.toLowerCase()), {
        onNone: () => undefined,
        onSome: (pillar) => ({ kind: "pillar", pillar })
      })
    case "force":
      return Option.match(forceById(id.toLowerCase()), {
        onNone: () => undefined,
        onSome: (force) => ({ kind: "force", force, pillar: pillarOf(force.pillar) })
      })
    case "connection":
      return Option.match(connectionById(id.toUpperCase()), {
        onNone: () => undefined,
        onSome: (connection) => ({ kind: "connection", connection })
      })
    default:
      return undefined
  }
}

/** The value of `?select=` for a selection. */
export const selectionParam = (selection: Selection): string => {
  switch (selection.kind) {
    case "pillar":
      return `pillar:${selection.pillar.id}`
    case "force":
      return `force:${selection.force.id}`
    case "connection":
      return `connection:${selection.connection.id}`
  }
}

/** The mode a selection belongs to. */
export const selectionMode = (selection: Selection): ModeId =>
  selection.kind === "connection" ? selection.connection.mode : selection.pillar.mode

/** Reads `?mode=`; unknown or missing: undefined (the page then falls back to the selection's mode). */
export const parseModeParam = (raw: string | ReadonlyArray<string> | undefined): ModeId | undefined => {
  const value = first(raw)?.trim().toLowerCase()
  return value === "hierarchical" || value === "egalitarian" ? value : undefined
}

// ── Words ────────────────────────────────────────────────────────────────────

export const typeLabel: Readonly<Record<ConnectionType, string>> = {
  reinforce: "Reinforce",
  inverse: "Inverse",
  discretionary: "Discretionary"
}

export const typeMeaning: Readonly<Record<ConnectionType, string>> = {
  reinforce: "The target moves the same way as the source.",
  inverse: "The target moves the opposite way.",
  discretionary: "It depends on the situation."
}

/** "0.85" */
export const formatStrength = (strength: number): string => strength.toFixed(2)

/** "Scapegoating", or "Discretionary" for the unnamed ones. */
export const connectionName = (connection: Connection): string => connection.name ?? "Discretionary"

/** How strong a push is, in a word. */
export const strengthWord = (strength: number): string =>
  strength >= 0.85 ? "Strong" : strength >= 0.7 ? "Moderate" : strength > 0.5 ? "Mild" : "Context-dependent"

/** "When Group Prospects rises, Outgoing Respect tends to rise (reinforce, 0.85)." */
export const predictedEffect = (connection: Connection): string => {
  const from = pillarOf(connection.from).title
  const to = pillarOf(connection.to).title
  const tail = `(${connection.type}, ${formatStrength(connection.strength)})`
  switch (connection.type) {
    case "reinforce":
      return `When ${from} rises, ${to} tends to rise ${tail}.`
    case "inverse":
      return `When ${from} rises, ${to} tends to fall ${tail}.`
    case "discretionary":
      return `When ${from} rises, ${to} may rise or fall, depending on the situation ${tail}.`
  }
}

/** The accessible name of a graph edge: "Scapegoating: Group Prospects to Outgoing Respect, reinforce, strength 0.85". */
export const connectionLabel = (connection: Connection): string =>
  `${connectionName(connection)}: ${pillarOf(connection.from).title} to ${pillarOf(connection.to).title}, ${connection.type}, strength ${formatStrength(connection.strength)}`

/** The connection going the other way between the same two pillars. */
export const reverseOf = (connection: Connection): Connection | undefined =>
  connectionsOf(connection.mode).find((c) => c.from === connection.to && c.to === connection.from)

/** How many connections of each type a mode has. */
export const typeCounts = (connections: ReadonlyArray<Connection>): Readonly<Record<ConnectionType, number>> => ({
  reinforce: connections.filter((c) => c.type === "reinforce").length,
  inverse: connections.filter((c) => c.type === "inverse").length,
  discretionary: connections.filter((c) => c.type === "discretionary").length
})
