import { describe, expect, it } from "@effect/vitest"
import { cosine, OFFLINE_DIMENSIONS, offlineEmbedding } from "../../src/Knowledge/OfflineEmbedding.js"

const similarity = (a: string, b: string) => cosine(offlineEmbedding(a), offlineEmbedding(b))

describe("offline embedding", () => {
  it("is deterministic, unit length and of the declared dimension", () => {
    const a = offlineEmbedding("Members feel safe to challenge the group's view.")
    const b = offlineEmbedding("Members feel safe to challenge the group's view.")
    expect(a).toHaveLength(OFFLINE_DIMENSIONS)
    expect([...a]).toEqual([...b])
    expect(cosine(a, a)).toBeCloseTo(1, 5)
  })

  it("gives the zero vector for text without content words", () => {
    expect(offlineEmbedding("the and of to").every((x) => x === 0)).toBe(true)
  })

  it("ranks a passage sharing the question's words (or their stems) above unrelated ones", () => {
    const query = "people are afraid to disagree with the group"
    const related = "Psychological safety: members can disagree with the group without fear of being punished."
    const unrelated = "Control of resources: who decides how the budget and equipment are allocated."
    expect(similarity(query, related)).toBeGreaterThan(similarity(query, unrelated) + 0.1)
  })

  it("connects a learner's everyday word to the framework's through the thesaurus", () => {
    const query = "my boss takes all the credit"
    const framework = "Credit attribution: the manager claims recognition for the team's work."
    const other = "Pay-it-forward culture: help circulates without being tracked."
    expect(similarity(query, framework)).toBeGreaterThan(similarity(query, other))
  })

  it("matches inflected forms through stems", () => {
    expect(similarity("disagreeing openly", "open disagreement")).toBeGreaterThan(0.3)
  })
})
