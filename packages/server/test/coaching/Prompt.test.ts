import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { citedSources, coachingRequest } from "../../src/Coaching/Prompt.js"
import { offlineCoaching } from "../../src/Llm/OfflineCoaching.js"
import { sampleResults, sampleSources } from "./support.js"

describe("coaching prompt", () => {
  const results = sampleResults("divsexp", "egalitarian")
  const sources = sampleSources(results)
  const request = coachingRequest(results, sources)
  const prompt = request.messages[0]!.content

  it("carries the results and numbers every source after the Context line", () => {
    expect(request.task).toBe("coaching")
    expect(prompt).toContain(`"pillarScore":${results.pillarScore}`)
    const context = prompt.slice(prompt.indexOf("Context:"))
    sources.forEach((source, i) => expect(context).toContain(`[${i + 1}] ${source.title} (${source.id}):`))
  })

  it("reads citations in order of first use, ignoring numbers that name no source", () => {
    expect(citedSources("A [2]. B [1, 2]. C [9]. D [2].", ["a", "b"])).toEqual(["b", "a"])
    expect(citedSources("No citations here.", ["a"])).toEqual([])
  })
})

describe("offline coaching", () => {
  const results = sampleResults("divsexp", "egalitarian")
  const sources = sampleSources(results)
  const text = Option.getOrThrow(offlineCoaching(coachingRequest(results, sources).messages[0]!.content))

  it("writes about the score, the strongest force, the weakest and a connection, citing the passages", () => {
    expect(text).toContain(`Your Diverse Expression score is ${Math.round(results.pillarScore)} out of 100`)
    expect(text).toContain("Psychological Safety")
    expect(text).toContain("Constructive Dissent")
    expect(citedSources(text, sources).map((s) => s.id).sort()).toEqual(sources.map((s) => s.id).sort())
    expect(text.split("\n\n").length).toBeGreaterThanOrEqual(4)
  })

  it("quotes only sentences of the passages it cites", () => {
    const quotes = [...text.matchAll(/(?:^|[.:] )([^.:]+?) \[(\d)\]\./gm)]
    expect(quotes.length).toBeGreaterThanOrEqual(5)
    for (const [, sentence, n] of quotes) expect(sources[Number(n) - 1]!.text).toContain(sentence!.trim())
  })

  it("declines prompts without results, so the generic answer applies", () => {
    expect(Option.isNone(offlineCoaching("Write my coaching.\nContext:\n[1] A (a): text."))).toBe(true)
  })
})
