import {
  type Band,
  type Dimension,
  dimensions,
  type Force,
  forceById,
  type ModeId,
  modes,
  type Pillar,
  pillarById,
  type PillarId
} from "@compilar/domain"
import { DateTime, Option } from "effect"

/** Names and formats the assessment pages share: pillars, modes, bands, statuses, dates. */

const invariant = (what: string): never => {
  throw new Error(`The PILAR dataset is missing ${what}`)
}

export const pillarOf = (id: PillarId): Pillar => Option.getOrElse(pillarById(id), () => invariant(`pillar ${id}`))

export const dimensionOf = (pillar: Pillar): Dimension =>
  dimensions.find((d) => d.id === pillar.dimension) ?? invariant(`dimension ${pillar.dimension}`)

/** A force by id; undefined for one the dataset no longer has (an old result). */
export const forceOf = (id: string): Force | undefined => Option.getOrUndefined(forceById(id))

export const modeName = (id: ModeId): string => modes.find((m) => m.id === id)?.name ?? id

export const bandLabels: Record<Band, string> = { low: "Low", mid: "Mid", high: "High" }

export const statusLabels = {
  created: "Not started",
  in_progress: "In progress",
  completed: "Completed"
} as const

/** A score as shown: whole numbers (the one decimal the server keeps is noise to a reader). */
export const formatScore = (score: number): string => String(Math.round(score))

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" })
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit"
})

export const formatDate = (at: DateTime.Utc): string => dateFormat.format(DateTime.toDateUtc(at))
export const formatDateTime = (at: DateTime.Utc): string => dateTimeFormat.format(DateTime.toDateUtc(at))
/** For `<time datetime>`. */
export const isoOf = (at: DateTime.Utc): string => DateTime.formatIso(at)
