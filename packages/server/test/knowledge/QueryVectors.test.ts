import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EmbeddingsUnavailable } from "../../src/Knowledge/Embeddings.js"
import { offlineEmbedding } from "../../src/Knowledge/OfflineEmbedding.js"
import { QueryVectors, vectorLiteral } from "../../src/Knowledge/QueryVectors.js"

/** The offline model, recording what it is asked to embed; `failNext` makes the next call fail. */
const recording = () => {
  const asked: Array<string> = []
  let failNext = false
  return {
    asked,
    failNext: () => (failNext = true),
    embeddings: {
      model: "offline-hash-v1",
      dimensions: 384,
      embed: (texts: ReadonlyArray<string>) =>
        Effect.suspend(() => {
          asked.push(...texts)
          if (failNext) {
            failNext = false
            return Effect.fail(new EmbeddingsUnavailable({ model: "offline-hash-v1", message: "down" }))
          }
          return Effect.succeed(texts.map(offlineEmbedding))
        })
    }
  }
}

describe("query vectors", () => {
  it("writes pgvector's text form with at most six decimals, zeros as 0", () => {
    expect(vectorLiteral(Float32Array.from([0, 0.5, -0.1234567, 1]))).toBe("[0,0.5,-0.123457,1]")
  })

  it.effect("embeds a question once, whatever its spacing, and answers repeats from memory", () =>
    Effect.gen(function*() {
      const model = recording()
      const vectors = QueryVectors.make(model.embeddings)
      const first = yield* vectors.literal("trust  in the team")
      const again = yield* vectors.literal(" trust in the team ")
      expect(again).toBe(first)
      expect(first).toBe(vectorLiteral(offlineEmbedding("trust in the team")))
      expect(model.asked).toEqual(["trust in the team"])
    }))

  it.effect("forgets the least recently used question past its capacity", () =>
    Effect.gen(function*() {
      const model = recording()
      const vectors = QueryVectors.make(model.embeddings, 2)
      yield* vectors.literal("a question")
      yield* vectors.literal("b question")
      yield* vectors.literal("a question") // a is now the most recent
      yield* vectors.literal("c question") // evicts b
      yield* vectors.literal("a question")
      yield* vectors.literal("b question")
      expect(model.asked).toEqual(["a question", "b question", "c question", "b question"])
      expect(vectors.size()).toBe(2)
    }))

  it.effect("does not remember a failure", () =>
    Effect.gen(function*() {
      const model = recording()
      const vectors = QueryVectors.make(model.embeddings)
      model.failNext()
      const error = yield* Effect.flip(vectors.literal("speaking up"))
      expect(error._tag).toBe("EmbeddingsUnavailable")
      yield* vectors.literal("speaking up")
      expect(model.asked).toEqual(["speaking up", "speaking up"])
    }))

  it.effect("a model that returns no vector is a failure, not a crash", () =>
    Effect.gen(function*() {
      const vectors = QueryVectors.make({ model: "empty", dimensions: 3, embed: () => Effect.succeed([]) })
      const error = yield* Effect.flip(vectors.literal("anything"))
      expect(error._tag).toBe("EmbeddingsUnavailable")
    }))
})
