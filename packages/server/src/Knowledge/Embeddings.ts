import { Context, Data, Effect, Layer } from "effect"
import { OFFLINE_DIMENSIONS, OFFLINE_MODEL, offlineEmbedding } from "./OfflineEmbedding.js"

export class EmbeddingsUnavailable extends Data.TaggedError("EmbeddingsUnavailable")<{
  readonly model: string
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Turns texts into vectors of one model. The offline model is the embedded default; OpenAI's
 * `text-embedding-3-small` (through the LLM gateway) arrives with the LLM issue. Search falls
 * back to keywords alone when `embed` fails.
 */
export class Embeddings extends Context.Tag("Knowledge/Embeddings")<Embeddings, {
  readonly model: string
  readonly dimensions: number
  readonly embed: (texts: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<Float32Array>, EmbeddingsUnavailable>
}>() {
  static readonly offline = Layer.succeed(Embeddings, {
    model: OFFLINE_MODEL,
    dimensions: OFFLINE_DIMENSIONS,
    embed: (texts) => Effect.sync(() => texts.map(offlineEmbedding))
  })
}

/** pgvector's text form, `[0.1,0.2,…]`, the same on PostgreSQL and PGlite. */
export const toVectorLiteral = (vector: Float32Array): string => `[${Array.from(vector, (x) => Number(x.toFixed(6))).join(",")}]`
