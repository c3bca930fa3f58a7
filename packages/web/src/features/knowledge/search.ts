import {
  type KnowledgeCategory,
  knowledgeCategories,
  type ModeId,
  modes,
  type Pillar,
  type PillarId,
  pillarById,
  pillars
} from "@compilar/domain"
import { Option } from "effect"

/**
 * The knowledge page's state, all of it in the URL so a search can be shared and Back works:
 * `/knowledge?q=…&pillar=…&mode=…&category=…&open=<chunk id>`. Unknown values are dropped, never
 * sent to the server; a pillar that contradicts the chosen mode is dropped too (the mode wins, as
 * in the filters, where choosing a mode clears a pillar of the other mode).
 */

export interface KnowledgeSearch {
  /** The trimmed query; "" before a search. */
  readonly q: string
  readonly pillar?: PillarId | undefined
  readonly mode?: ModeId | undefined
  readonly category?: KnowledgeCategory | undefined
  /** A passage to scroll to and highlight when it is among the results (a chunk id). */
  readonly open?: string | undefined
}

type Raw = string | ReadonlyArray<string> | undefined

const first = (raw: Raw): string | undefined => (typeof raw === "string" ? raw : raw?.[0])

const lowered = (raw: Raw): string | undefined => {
  const value = first(raw)?.trim().toLowerCase()
  return value ? value : undefined
}

const pillarIds: ReadonlySet<string> = new Set(pillars.map((p) => p.id))
const modeIds: ReadonlySet<string> = new Set(modes.map((m) => m.id))
const categoryIds: ReadonlySet<string> = new Set(knowledgeCategories)

export const parsePillar = (raw: Raw): PillarId | undefined => {
  const value = lowered(raw)
  return value !== undefined && pillarIds.has(value) ? (value as PillarId) : undefined
}

export const parseMode = (raw: Raw): ModeId | undefined => {
  const value = lowered(raw)
  return value !== undefined && modeIds.has(value) ? (value as ModeId) : undefined
}

export const parseCategory = (raw: Raw): KnowledgeCategory | undefined => {
  const value = lowered(raw)
  return value !== undefined && categoryIds.has(value) ? (value as KnowledgeCategory) : undefined
}

/** Chunk ids are lowercase `[a-z0-9][a-z0-9.:-]*` (see ChunkId); anything else is ignored. */
export const parseOpen = (raw: Raw): string | undefined => {
  const value = lowered(raw)
  return value !== undefined && /^[a-z0-9][a-z0-9.:-]*$/.test(value) ? value : undefined
}

export const pillarOf = (id: PillarId): Pillar | undefined => Option.getOrUndefined(pillarById(id))

/** Reads the page's search params (as `useSearchParams` gives them). */
export const parseSearch = (params: Readonly<Record<string, Raw>>): KnowledgeSearch => {
  const mode = parseMode(params["mode"])
  const pillar = parsePillar(params["pillar"])
  const consistent = pillar !== undefined && (mode === undefined || pillarOf(pillar)?.mode === mode)
  return {
    q: first(params["q"])?.trim() ?? "",
    pillar: consistent ? pillar : undefined,
    mode,
    category: parseCategory(params["category"]),
    open: parseOpen(params["open"])
  }
}

/**
 * The params to hand `setSearchParams`: every key present, `undefined` for "not set", so stale
 * values are removed from the URL.
 */
export const toParams = (search: KnowledgeSearch): Record<"q" | "pillar" | "mode" | "category" | "open", string | undefined> => ({
  q: search.q.trim() || undefined,
  pillar: search.pillar,
  mode: search.mode,
  category: search.category,
  open: search.open
})

/** A link to a search: `/knowledge?q=…&mode=…` (keys in a fixed order, empty ones left out). */
export const knowledgeHref = (search: KnowledgeSearch): string => {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(toParams(search))) {
    if (value !== undefined) query.set(key, value)
  }
  const text = query.toString()
  return text ? `/knowledge?${text}` : "/knowledge"
}

/** A link to one passage (coaching citations use it): `/knowledge?q=<title>&open=<id>`. */
export const passageHref = (id: string, title: string): string => knowledgeHref({ q: title, open: id })

/** The API payload for a search (the filters that are set; the query as typed, trimmed). */
export const toPayload = (search: KnowledgeSearch) => ({
  query: search.q.trim(),
  ...(search.pillar ? { pillar: search.pillar } : {}),
  ...(search.mode ? { mode: search.mode } : {}),
  ...(search.category ? { category: search.category } : {})
})

/** Whether any filter is set. */
export const hasFilters = (search: KnowledgeSearch): boolean =>
  search.pillar !== undefined || search.mode !== undefined || search.category !== undefined

/** Words for a category in the filter and on the chips. */
export const categoryLabels: { readonly [C in KnowledgeCategory]: string } = {
  mode: "Mode overview",
  dimension: "Dimension",
  pillar: "Pillar",
  "pillar-high": "When a pillar is high",
  "pillar-low": "When a pillar is low",
  reflection: "Reflective questions",
  force: "Force",
  connection: "Connection",
  guidance: "Guidance",
  scoring: "Scores and scoring"
}

export const modeName = (id: ModeId): string => modes.find((m) => m.id === id)?.name ?? id

/** A DOM id for a passage's card, derived from its chunk id (`passage-connection-ecp-04`). */
export const passageDomId = (chunkId: string): string => `passage-${chunkId.replace(/[^a-z0-9-]/g, "-")}`
