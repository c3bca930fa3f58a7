import {
  type Dimension,
  dimensions,
  type Force,
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
 * The catalogue's view of the PILAR dataset. The dataset ships inside the bundle (it is part of
 * the domain contract), so the catalogue renders without a round trip and works offline.
 */

export interface PillarCardModel {
  readonly pillar: Pillar
  readonly dimension: Dimension
  readonly forces: ReadonlyArray<Force>
  readonly counterpart: Pillar
  readonly counterpartMode: Mode
}

export interface CatalogueModel {
  readonly mode: Mode
  readonly otherMode: Mode
  readonly cards: ReadonlyArray<PillarCardModel>
}

const invariant = (what: string): never => {
  throw new Error(`The PILAR dataset is missing ${what}`)
}

export const modeById = (id: ModeId): Mode => modes.find((m) => m.id === id) ?? invariant(`mode ${id}`)

const dimensionById = (id: Dimension["id"]): Dimension =>
  dimensions.find((d) => d.id === id) ?? invariant(`dimension ${id}`)

const dimensionRank = (pillar: Pillar): number => dimensions.findIndex((d) => d.id === pillar.dimension)

const card = (pillar: Pillar): PillarCardModel => {
  const counterpart = Option.getOrElse(pillarById(pillar.counterpart), () =>
    invariant(`pillar ${pillar.counterpart}, counterpart of ${pillar.id}`)
  )
  return {
    pillar,
    dimension: dimensionById(pillar.dimension),
    forces: forcesOf(pillar.id),
    counterpart,
    counterpartMode: modeById(counterpart.mode)
  }
}

/** The five pillars of a mode in acronym order (P, I, L, A, R), each with its forces and counterpart. */
export const catalogueOf = (mode: ModeId): CatalogueModel => ({
  mode: modeById(mode),
  otherMode: modeById(mode === "egalitarian" ? "hierarchical" : "egalitarian"),
  cards: [...pillarsOf(mode)].sort((a, b) => dimensionRank(a) - dimensionRank(b)).map(card)
})

export const allModes: ReadonlyArray<Mode> = modes
