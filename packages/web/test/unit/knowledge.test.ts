import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { formatScore, highlight, queryTerms, stem } from "../../src/features/knowledge/highlight.js"
import {
  knowledgeHref,
  parseSearch,
  passageDomId,
  passageHref,
  toParams,
  toPayload
} from "../../src/features/knowledge/search.js"
import { serverFieldErrors, validateSearch } from "../../src/features/knowledge/validation.js"

describe("knowledge URL params", () => {
  it("reads a full search, trimming and lowercasing the filters", () => {
    expect(
      parseSearch({ q: "  what does scapegoating mean ", pillar: " DivsExp", mode: "egalitarian", category: "Connection", open: "connection:ecp-04" })
    ).toEqual({ q: "what does scapegoating mean", pillar: "divsexp", mode: "egalitarian", category: "connection", open: "connection:ecp-04" })
  })

  it("drops unknown values and a pillar of the other mode", () => {
    expect(parseSearch({ q: "x", pillar: "nope", mode: "flat", category: "gossip", open: "<script>" })).toEqual({
      q: "x",
      pillar: undefined,
      mode: undefined,
      category: undefined,
      open: undefined
    })
    expect(parseSearch({ pillar: "status", mode: "egalitarian" })).toMatchObject({ q: "", pillar: undefined, mode: "egalitarian" })
    expect(parseSearch({ pillar: "status", mode: "hierarchical" })).toMatchObject({ pillar: "status", mode: "hierarchical" })
    expect(parseSearch({ q: ["first", "second"] }).q).toBe("first")
  })

  it("writes every key (undefined removes it) and round-trips through a link", () => {
    expect(toParams({ q: " team ", mode: "hierarchical" })).toEqual({
      q: "team",
      pillar: undefined,
      mode: "hierarchical",
      category: undefined,
      open: undefined
    })
    const search = { q: "who decides & why?", pillar: "status", mode: "hierarchical", category: "force" } as const
    const href = knowledgeHref(search)
    expect(href).toBe("/knowledge?q=who+decides+%26+why%3F&pillar=status&mode=hierarchical&category=force")
    const params = Object.fromEntries(new URL(href, "http://x").searchParams)
    expect(parseSearch(params)).toEqual({ ...search, open: undefined })
    expect(knowledgeHref({ q: "" })).toBe("/knowledge")
    expect(passageHref("connection:ecp-04", "Scapegoating")).toBe("/knowledge?q=Scapegoating&open=connection%3Aecp-04")
  })

  it("sends only the filters that are set, and passage ids make valid DOM ids", () => {
    expect(toPayload({ q: " a ", category: "scoring" })).toEqual({ query: "a", category: "scoring" })
    expect(passageDomId("force:divsexp.psychological-safety")).toBe("passage-force-divsexp-psychological-safety")
  })
})

describe("knowledge highlighting", () => {
  it("keeps meaningful words, stemmed, longest first", () => {
    expect(queryTerms("What does Scapegoating mean?")).toEqual(["scapegoat"])
    expect(queryTerms("how can I learn to delegate more")).toEqual(["delegat", "learn"])
    expect(queryTerms("   ")).toEqual([])
    expect(stem("scores")).toBe("scor") // a prefix: marks score, scores, scoring
    expect(stem("bus")).toBe("bus")
  })

  it("marks whole words that start with a term, case-insensitively, losing no text", () => {
    const text = "Scapegoating: the group blames one member; scapegoats are misled."
    const segments = highlight(text, queryTerms("scapegoating group"))
    expect(segments.map((s) => s.text).join("")).toBe(text)
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(["Scapegoating", "group", "scapegoats"])
    // A term inside a word is not a match.
    expect(highlight("misleading leaders", ["lead"]).filter((s) => s.match).map((s) => s.text)).toEqual(["leaders"])
    // A term too short to be a stem marks only itself (and its plural), not every word it begins.
    expect(highlight("Speak up about upcoming ups and downs", queryTerms("speaking up")).filter((s) => s.match).map((s) => s.text))
      .toEqual(["Speak", "up", "ups"])
  })

  it("treats the query as text, not a pattern, and handles the edges", () => {
    expect(highlight("a.b axb", ["a.b"]).filter((s) => s.match).map((s) => s.text)).toEqual(["a.b"])
    expect(highlight("", ["x"])).toEqual([])
    expect(highlight("plain", [])).toEqual([{ text: "plain", match: false }])
    expect(highlight("Déjà vu, déjà", ["déjà"]).filter((s) => s.match)).toHaveLength(2)
  })

  it("formats scores discreetly", () => {
    expect(formatScore(0.6449)).toBe("0.64")
    expect(formatScore(null)).toBe("—")
  })
})

describe("knowledge validation", () => {
  it("names the field with the contract's message, as the server does", () => {
    const tooLong = validateSearch({ q: "x".repeat(2001) })
    expect(Either.isLeft(tooLong) && tooLong.left).toEqual([{ path: "query", message: "At most 2,000 characters" }])
    expect(Either.isRight(validateSearch({ q: "x".repeat(2000), mode: "egalitarian" }))).toBe(true)
  })

  it("reads the details of a server validation_failed error, and nothing else", () => {
    const details = [{ path: "pillar", message: "Unknown pillar" }]
    expect(serverFieldErrors({ _tag: "ValidationFailed", message: "Invalid", details })).toEqual(details)
    expect(serverFieldErrors({ _tag: "InternalError", message: "Boom" })).toBeUndefined()
    expect(serverFieldErrors(new Error("x"))).toBeUndefined()
  })
})
