import { describe, expect, it } from "vitest"
import { ariaCurrentOf, navItems } from "../../src/components/navigation.js"

/** Each item's aria-current on `path`, for the items that have one. */
const currentOn = (path: string) =>
  Object.fromEntries(navItems.flatMap((item) => {
    const current = ariaCurrentOf(item, path)
    return current === undefined ? [] : [[item.label, current]]
  }))

describe("main navigation: the current item", () => {
  it("marks exactly one item on every page that belongs to one", () => {
    expect(currentOn("/")).toEqual({ Pillars: "page" })
    expect(currentOn("/assess")).toEqual({ Assess: "page" })
    expect(currentOn("/knowledge")).toEqual({ Knowledge: "page" })
    expect(currentOn("/explorer")).toEqual({ Explorer: "page" })
    expect(currentOn("/history")).toEqual({ History: "page" })
  })

  it("marks the section's item on the pages inside it", () => {
    expect(currentOn("/progress")).toEqual({ History: "true" })
    expect(currentOn("/assess/0b9f5c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d")).toEqual({ Assess: "true" })
    expect(currentOn("/assess/0b9f5c1e-2d4a-4f6b-9c8d-7e6f5a4b3c2d/results")).toEqual({ Assess: "true" })
  })

  it("marks nothing on pages outside the main sections", () => {
    for (const path of ["/account", "/signin", "/signup", "/no/such/page", "/assessments", "/progressive"]) {
      expect(currentOn(path), path).toEqual({})
    }
  })

  it("ignores a trailing slash", () => {
    expect(currentOn("/history/")).toEqual({ History: "page" })
    expect(currentOn("/progress/")).toEqual({ History: "true" })
  })
})
