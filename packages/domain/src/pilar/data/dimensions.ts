import { Dimension } from "../Schema.js"

/** The five dimensions, in acronym order: P, I, L, A, R. Each has one pillar per mode. */
export const dimensions: ReadonlyArray<Dimension> = [
  new Dimension({ id: "prospects", name: "Prospects", letter: "P" }),
  new Dimension({ id: "involved", name: "Involved", letter: "I" }),
  new Dimension({ id: "liked", name: "Liked", letter: "L" }),
  new Dimension({ id: "agency", name: "Agency", letter: "A" }),
  new Dimension({ id: "respect", name: "Respect", letter: "R" })
]
