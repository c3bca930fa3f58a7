import { Clock, Effect, Exit } from "effect"
import type { BreakersRegistry } from "./Breaker.js"
import type { LlmError } from "./Errors.js"
import { Attr, errorAttributes, modelAttributes, recordEmbed, recordRetry } from "./Observability.js"
import type { ProviderName, Usage } from "./Provider.js"
import { retryAttempts, type RetryOptions } from "./Retry.js"

/** A provider's embeddings endpoint: exactly one attempt, failures in the closed `LlmError` set. */
export interface EmbeddingProvider {
  readonly name: ProviderName
  readonly model: string
  readonly dimensions: number
  readonly embed: (texts: ReadonlyArray<string>) => Effect.Effect<EmbedResult, LlmError>
}

export interface EmbedResult {
  /** One vector per text, in the texts' order, each of the provider's `dimensions`. */
  readonly vectors: ReadonlyArray<Float32Array>
  readonly usage: Usage
}

export interface EmbedderOptions {
  readonly provider: EmbeddingProvider
  readonly breakers: BreakersRegistry
  readonly retry?: RetryOptions
}

/**
 * Embeddings with the gateway's resilience: the retry policy (retryable kinds only, jittered
 * backoff within the request's budget, `retry-after` honoured) around the provider's own
 * breaker of the `embed` family. No fallback to another provider: another model's vectors live
 * in another space, so the caller (search) degrades instead. One `Llm.embed` span per call, a
 * child per attempt; duration, token and retry metrics like chat's.
 */
export const makeEmbedder = (options: EmbedderOptions) => {
  const { provider, breakers } = options
  const attempts = retryAttempts({
    ...options.retry,
    onRetry: (event) =>
      Effect.zipRight(recordRetry(provider.name, event.error), options.retry?.onRetry?.(event) ?? Effect.void)
  })
  const attributes = { [Attr.operation]: "embeddings", ...modelAttributes(provider.name, provider.model) }

  return (texts: ReadonlyArray<string>): Effect.Effect<EmbedResult, LlmError> =>
    Effect.gen(function*() {
      const started = yield* Clock.currentTimeNanos
      const exit = yield* Effect.exit(
        attempts((attempt) =>
          breakers.protect(provider.name, "embed")(provider.embed(texts)).pipe(
            Effect.tapError((error) => Effect.annotateCurrentSpan(errorAttributes(error))),
            Effect.withSpan(`embeddings ${provider.model}`, {
              kind: "client",
              captureStackTrace: false,
              attributes: { ...attributes, [Attr.attempt]: attempt }
            })
          )
        )
      )
      const ended = yield* Clock.currentTimeNanos
      const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
      const usage = Exit.isSuccess(exit) ? exit.value.usage : undefined
      if (error !== undefined) yield* Effect.annotateCurrentSpan(errorAttributes(error))
      if (usage !== undefined && usage !== "unknown") yield* Effect.annotateCurrentSpan(Attr.inputTokens, usage.inputTokens)
      yield* recordEmbed({
        provider: provider.name,
        model: provider.model,
        durationSeconds: Number(ended - started) / 1e9,
        usage,
        error
      })
      return yield* exit
    }).pipe(
      Effect.withSpan("Llm.embed", {
        kind: "client",
        captureStackTrace: false,
        attributes: { ...attributes, "llm.embed.texts": texts.length }
      })
    )
}
