import { describe, expect, it } from "vitest"
import { accountHref, nextFromParams, safeNextPath } from "../../src/lib/session/nextPath.js"

describe("safeNextPath", () => {
  it("keeps a path of this app with its query and hash", () => {
    expect(safeNextPath("/history")).toBe("/history")
    expect(safeNextPath("/knowledge?q=trust&mode=egalitarian#passage-1")).toBe("/knowledge?q=trust&mode=egalitarian#passage-1")
    expect(safeNextPath("/")).toBe("/")
  })

  it("normalises dot segments without leaving the origin", () => {
    expect(safeNextPath("/a/../history")).toBe("/history")
    expect(safeNextPath("/../../history")).toBe("/history")
  })

  it("refuses other origins however they are spelled", () => {
    for (const raw of [
      "https://evil.example/",
      "http:evil.example",
      "//evil.example",
      "//evil.example/history",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      " /history",
      "javascript:alert(1)",
      "data:text/html,hi",
      "history",
      "?next=/x",
      "#top"
    ]) {
      expect(safeNextPath(raw), JSON.stringify(raw)).toBeUndefined()
    }
  })

  it("refuses non-strings, empty and absurdly long values", () => {
    expect(safeNextPath(undefined)).toBeUndefined()
    expect(safeNextPath(["/history"])).toBeUndefined()
    expect(safeNextPath("")).toBeUndefined()
    expect(safeNextPath(`/${"a".repeat(3000)}`)).toBeUndefined()
  })

  it("refuses the sign-in pages themselves (no loop)", () => {
    expect(safeNextPath("/signin")).toBeUndefined()
    expect(safeNextPath("/signup?next=/history")).toBeUndefined()
    expect(safeNextPath("/signin/")).toBe("/signin/")
  })
})

describe("nextFromParams", () => {
  it("reads ?next= (the first one) and falls back to home", () => {
    expect(nextFromParams({ next: "/history" })).toBe("/history")
    expect(nextFromParams({ next: ["/account", "/history"] })).toBe("/account")
    expect(nextFromParams({ next: "//evil.example" })).toBe("/")
    expect(nextFromParams({})).toBe("/")
  })
})

describe("accountHref", () => {
  it("carries the page to come back to, encoded", () => {
    expect(accountHref("/signin", "/history")).toBe("/signin?next=%2Fhistory")
    expect(accountHref("/signup", "/knowledge?q=a b&mode=x")).toBe(
      `/signup?next=${encodeURIComponent("/knowledge?q=a%20b&mode=x")}`
    )
  })

  it("leaves `next` out for home, the sign-in pages and anything unsafe", () => {
    expect(accountHref("/signin", "/")).toBe("/signin")
    expect(accountHref("/signin", "/signin?next=/history")).toBe("/signin")
    expect(accountHref("/signin", "//evil.example")).toBe("/signin")
    expect(accountHref("/signin", undefined)).toBe("/signin")
  })

  it("round-trips through the sign-in page's parameter", () => {
    const href = accountHref("/signin", "/history?tab=scores#latest")
    const next = new URL(href, "http://localhost").searchParams.get("next") ?? undefined
    expect(nextFromParams({ next })).toBe("/history?tab=scores#latest")
  })
})
