import { type ModeId, type PillarId, PillarId as PillarIdSchema } from "@compilar/domain"
import { Schema } from "effect"

/** The URL search params of the catalogue: `?mode=egalitarian|hierarchical&pillar=<id>`. */

export const defaultMode: ModeId = "egalitarian"

const first = (raw: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof raw === "string" ? raw : raw?.[0]

const isPillarId = Schema.is(PillarIdSchema)

/** Reads `?mode=`: case- and whitespace-insensitive; anything unknown falls back to egalitarian. */
export const parseMode = (raw: string | ReadonlyArray<string> | undefined): ModeId => {
  const value = first(raw)?.trim().toLowerCase()
  return value === "hierarchical" || value === "egalitarian" ? value : defaultMode
}

/** Reads `?pillar=`: a known pillar id, or undefined. */
export const parsePillar = (raw: string | ReadonlyArray<string> | undefined): PillarId | undefined => {
  const value = first(raw)?.trim().toLowerCase()
  return value !== undefined && isPillarId(value) ? value : undefined
}

export const otherMode = (mode: ModeId): ModeId => (mode === "egalitarian" ? "hierarchical" : "egalitarian")

/**
 * The search params to write for a mode: the default mode is written explicitly too, so a shared
 * link always says which mode it shows.
 */
export const modeSearch = (mode: ModeId, pillar?: PillarId): string =>
  pillar === undefined ? `?mode=${mode}` : `?mode=${mode}&pillar=${pillar}`
