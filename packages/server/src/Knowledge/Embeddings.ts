import { Context, Data, Effect, Layer, Redacted } from "effect"
import OpenAI from "openai"
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

  /**
   * OpenAI embeddings through the official SDK (`maxRetries: 0`: retries belong to our own
   * resilience layer, which arrives with the LLM gateway; until then a failure degrades search).
   */
  static readonly openai = (options: {
    readonly apiKey: Redacted.Redacted
    readonly baseURL?: string | undefined
    readonly model: string
    readonly dimensions: number
    readonly timeoutMs?: number | undefined
  }) =>
    Layer.sync(Embeddings, () => {
      const client = new OpenAI({
        apiKey: Redacted.value(options.apiKey),
        maxRetries: 0,
        timeout: options.timeoutMs ?? 10_000,
        ...(options.baseURL ? { baseURL: options.baseURL } : {})
      })
      return {
        model: options.model,
        dimensions: options.dimensions,
        embed: (texts) =>
          Effect.tryPromise({
            try: (signal) =>
              client.embeddings.create({ model: options.model, input: [...texts], dimensions: options.dimensions }, {
                signal
              }),
            catch: (cause) =>
              new EmbeddingsUnavailable({
                model: options.model,
                message: cause instanceof Error ? cause.message : String(cause),
                cause
              })
          }).pipe(
            Effect.map((response) =>
              [...response.data].sort((a, b) => a.index - b.index).map((item) => Float32Array.from(item.embedding))
            ),
            Effect.withSpan("Embeddings.embed", { attributes: { "gen_ai.request.model": options.model, count: texts.length } })
          )
      }
    })
}

/** pgvector's text form, `[0.1,0.2,…]`, the same on PostgreSQL and PGlite. */
export const toVectorLiteral = (vector: Float32Array): string => `[${Array.from(vector, (x) => Number(x.toFixed(6))).join(",")}]`
