import { type Context, Effect } from "effect"
import { type Embeddings, EmbeddingsUnavailable } from "./Embeddings.js"

/**
 * pgvector's text form, `[0.1,0.2,…]`, at most six decimals, exact zeros (most of an offline
 * vector) written as `0`. Cheaper than `toFixed` per component, which showed in profiles.
 */
export const vectorLiteral = (vector: Float32Array): string => {
  let text = "["
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i]!
    text += (i === 0 ? "" : ",") + (x === 0 ? "0" : String(Math.round(x * 1e6) / 1e6))
  }
  return `${text}]`
}

/** The same question asked with other spacing is the same question. */
export const normalizeQuery = (text: string): string => text.trim().replace(/\s+/g, " ")

/**
 * Query vectors of one model, remembered for the most recent `capacity` distinct questions
 * (least recently used first out). Learners repeat questions (the same suggestion clicked, the
 * same page reloaded), and with a remote model a repeat then costs no request. Only vectors are
 * kept, never results: every search still runs against the database. Failures are not kept.
 */
export const make = (embeddings: Context.Tag.Service<Embeddings>, capacity = 1000) => {
  const recent = new Map<string, string>()

  const literal = (text: string): Effect.Effect<string, EmbeddingsUnavailable> =>
    Effect.suspend(() => {
      const key = normalizeQuery(text)
      const known = recent.get(key)
      if (known !== undefined) {
        // Map keeps insertion order: moving the entry to the end marks it most recently used.
        recent.delete(key)
        recent.set(key, known)
        return Effect.succeed(known)
      }
      return Effect.flatMap(embeddings.embed([key]), (vectors) => {
        const vector = vectors[0]
        if (vector === undefined) {
          return Effect.fail(new EmbeddingsUnavailable({ model: embeddings.model, message: "No vector returned" }))
        }
        const value = vectorLiteral(vector)
        recent.set(key, value)
        if (recent.size > capacity) recent.delete(recent.keys().next().value!)
        return Effect.succeed(value)
      })
    })

  return { literal, size: () => recent.size } as const
}

export const QueryVectors = { make } as const
