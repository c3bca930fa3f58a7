import { Context, Data, Effect, Layer, type Redacted } from "effect"
import { breakerThresholds } from "../Llm.js"
import { makeBreakers } from "../Llm/Breaker.js"
import { makeEmbedder } from "../Llm/Embed.js"
import { errorType } from "../Llm/Errors.js"
import { reportBreakerTransition, setBreakerState } from "../Llm/Observability.js"
import { makeOpenAiEmbeddings } from "../Llm/OpenAi.js"
import type { RetryOptions } from "../Llm/Retry.js"
import { OFFLINE_DIMENSIONS, OFFLINE_MODEL, offlineEmbedding } from "./OfflineEmbedding.js"

export class EmbeddingsUnavailable extends Data.TaggedError("EmbeddingsUnavailable")<{
  readonly model: string
  readonly message: string
  readonly cause?: unknown
}> {}

/**
 * Turns texts into vectors of one model. The offline model is the embedded default; OpenAI's
 * `text-embedding-3-small` goes through the LLM gateway's resilience. Search falls back to
 * keywords alone when `embed` fails.
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
   * OpenAI embeddings with the LLM gateway's resilience (`Llm/Embed.ts`): the SDK makes one
   * attempt (`maxRetries: 0`) under our headers and total deadlines (`timeoutMs`, default
   * 10 s); retryable failures are retried with jittered backoff within the request's budget,
   * honouring `retry-after`; a circuit breaker (`openai:embed`, the `LLM_BREAKER_*` thresholds)
   * stops calling a failing provider. What still fails is `EmbeddingsUnavailable`, carrying the
   * typed `LlmError` as its cause, and search degrades to keywords.
   */
  static readonly openai = (options: {
    readonly apiKey: Redacted.Redacted
    readonly baseURL?: string | undefined
    readonly model: string
    readonly dimensions: number
    readonly timeoutMs?: number | undefined
    readonly retry?: RetryOptions | undefined
  }) =>
    Layer.effect(
      Embeddings,
      Effect.gen(function*() {
        const thresholds = yield* breakerThresholds
        const breakers = yield* makeBreakers({ ...thresholds, onTransition: reportBreakerTransition })
        yield* setBreakerState("openai", "embed", "closed")
        const timeoutMs = options.timeoutMs ?? 10_000
        const embed = makeEmbedder({
          provider: makeOpenAiEmbeddings({
            apiKey: options.apiKey,
            baseURL: options.baseURL,
            model: options.model,
            dimensions: options.dimensions,
            timeouts: { headersMs: timeoutMs, totalMs: timeoutMs }
          }),
          breakers,
          ...(options.retry === undefined ? {} : { retry: options.retry })
        })
        return {
          model: options.model,
          dimensions: options.dimensions,
          embed: (texts: ReadonlyArray<string>) =>
            embed(texts).pipe(
              Effect.map((result) => result.vectors),
              Effect.mapError((error) =>
                new EmbeddingsUnavailable({ model: options.model, message: `${errorType(error)}: ${error.message}`, cause: error })
              )
            )
        }
      })
    )
}

/** pgvector's text form, `[0.1,0.2,…]`, the same on PostgreSQL and PGlite. */
export const toVectorLiteral = (vector: Float32Array): string => `[${Array.from(vector, (x) => Number(x.toFixed(6))).join(",")}]`
