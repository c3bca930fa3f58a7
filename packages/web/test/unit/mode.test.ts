import { describe, expect, it } from "vitest"
import { defaultMode, modeSearch, otherMode, parseMode, parsePillar } from "../../src/features/catalogue/mode.js"

describe("?mode= and ?pillar= parsing", () => {
  it("reads both modes", () => {
    expect(parseMode("egalitarian")).toBe("egalitarian")
    expect(parseMode("hierarchical")).toBe("hierarchical")
  })

  it("is forgiving about case and whitespace", () => {
    expect(parseMode(" Hierarchical ")).toBe("hierarchical")
  })

  it("falls back to egalitarian for missing or unknown values", () => {
    expect(defaultMode).toBe("egalitarian")
    expect(parseMode(undefined)).toBe("egalitarian")
    expect(parseMode("")).toBe("egalitarian")
    expect(parseMode("anarchic")).toBe("egalitarian")
  })

  it("takes the first of repeated params", () => {
    expect(parseMode(["hierarchical", "egalitarian"])).toBe("hierarchical")
    expect(parseMode([])).toBe("egalitarian")
  })

  it("accepts only known pillar ids", () => {
    expect(parsePillar("status")).toBe("status")
    expect(parsePillar("STATUS")).toBe("status")
    expect(parsePillar("nope")).toBeUndefined()
    expect(parsePillar(undefined)).toBeUndefined()
  })

  it("flips modes and writes search strings", () => {
    expect(otherMode("egalitarian")).toBe("hierarchical")
    expect(otherMode("hierarchical")).toBe("egalitarian")
    expect(modeSearch("hierarchical")).toBe("?mode=hierarchical")
    expect(modeSearch("egalitarian", "grpprosp")).toBe("?mode=egalitarian&pillar=grpprosp")
  })
})
