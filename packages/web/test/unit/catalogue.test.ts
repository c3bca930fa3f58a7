import { describe, expect, it } from "vitest"
import { catalogueOf } from "../../src/features/catalogue/Page.data.js"

describe("catalogue model", () => {
  it("lists the five pillars of each mode in P-I-L-A-R order", () => {
    expect(catalogueOf("egalitarian").cards.map((c) => c.pillar.id)).toEqual([
      "grpprosp",
      "indrecip",
      "popularity",
      "divsexp",
      "outresp"
    ])
    expect(catalogueOf("hierarchical").cards.map((c) => c.pillar.id)).toEqual([
      "ownprosp",
      "dirrecip",
      "status",
      "normexp",
      "incresp"
    ])
    expect(catalogueOf("egalitarian").cards.map((c) => c.dimension.letter).join("")).toBe("PILAR")
  })

  it("gives every card four forces and a counterpart of the same dimension in the other mode", () => {
    for (const mode of ["egalitarian", "hierarchical"] as const) {
      const model = catalogueOf(mode)
      expect(model.mode.id).toBe(mode)
      expect(model.otherMode.id).not.toBe(mode)
      for (const card of model.cards) {
        expect(card.forces).toHaveLength(4)
        expect(card.forces.every((f) => f.pillar === card.pillar.id)).toBe(true)
        expect(card.counterpart.mode).toBe(model.otherMode.id)
        expect(card.counterpart.dimension).toBe(card.pillar.dimension)
        expect(card.counterpartMode.id).toBe(model.otherMode.id)
      }
    }
  })
})
