import { Chunk, Effect, Option, ParseResult, Schema, Stream } from "effect"
import type { BreakersRegistry } from "./Breaker.js"
import { errorType, type LlmError, LlmInvalidOutput, LlmUnavailable } from "./Errors.js"
import type { ChatRequest, ChatResult, LlmProvider, ProviderName, StreamEvent } from "./Provider.js"
import { retryAttempts, type RetryOptions } from "./Retry.js"

/** A stream event, with the provider that produced it. */
export type GatewayEvent = StreamEvent & { readonly provider: ProviderName }

export interface ChatOutcome<A> extends ChatResult {
  readonly provider: ProviderName
  readonly model: string
  /** With a schema: the decoded value. */
  readonly value: A
}

export interface GatewayOptions {
  /** In order of preference. */
  readonly providers: ReadonlyArray<LlmProvider>
  readonly breakers: BreakersRegistry
  readonly retry?: RetryOptions
}

/** Every provider failed or refused: the last error, or "all unavailable" with the soonest retry. */
const exhausted = (errors: ReadonlyArray<LlmError>): LlmError => {
  const unavailable = errors.filter((e): e is LlmUnavailable => e._tag === "LlmUnavailable")
  if (unavailable.length === errors.length && unavailable.length > 0) {
    return new LlmUnavailable({
      provider: unavailable[0]!.provider,
      message: "Every LLM provider is unavailable right now.",
      retryAfterMs: Math.min(...unavailable.map((e) => e.retryAfterMs))
    })
  }
  return errors[errors.length - 1] ?? new LlmUnavailable({ provider: "offline", message: "No LLM provider is configured.", retryAfterMs: 60_000 })
}

const logFallback = (from: ProviderName, error: LlmError, to: ProviderName | undefined) =>
  Effect.logWarning(to === undefined ? "LLM: no provider left" : `LLM: falling back from ${from} to ${to}`).pipe(
    Effect.annotateLogs({ provider: from, reason: errorType(error), ...(to ? { next: to } : {}) })
  )

/**
 * The LLM gateway: one place owning resilience. Each provider, in order, is tried through its
 * own circuit breaker and retry policy; a failure that is not the caller's fault falls over to
 * the next provider. Streams fall over only before their first token has reached the caller:
 * after that, a failure ends the stream with its typed error (providers are never spliced).
 */
export const makeGateway = (options: GatewayOptions) => {
  const attempts = retryAttempts(options.retry ?? {})

  const chatOnce = <A, I>(provider: LlmProvider, request: ChatRequest, schema: Schema.Schema<A, I> | undefined) =>
    options.breakers.protect(provider.name, "chat")(
      Effect.flatMap(provider.chat(request), (result): Effect.Effect<ChatOutcome<A>, LlmError> =>
        schema === undefined
          ? Effect.succeed({ ...result, provider: provider.name, model: provider.model, value: result.text as A })
          : Schema.decodeUnknown(schema)(result.structured).pipe(
            Effect.mapError((error) =>
              new LlmInvalidOutput({
                provider: provider.name,
                message: "The structured answer does not match the expected schema.",
                issues: ParseResult.TreeFormatter.formatErrorSync(error)
              })
            ),
            Effect.map((value) => ({ ...result, provider: provider.name, model: provider.model, value }))
          ))
    )

  /** A completion from the first provider that delivers one; with `schema`, decoded (invalid output is retried, then failed over). */
  const chat = <A = string, I = unknown>(request: ChatRequest, schema?: Schema.Schema<A, I>) =>
    Effect.gen(function*() {
      const errors: Array<LlmError> = []
      for (const [index, provider] of options.providers.entries()) {
        const outcome = yield* Effect.either(attempts(() => chatOnce(provider, request, schema)))
        if (outcome._tag === "Right") return outcome.right
        errors.push(outcome.left)
        if (!canFallBack(outcome.left)) return yield* Effect.fail(outcome.left)
        yield* logFallback(provider.name, outcome.left, options.providers[index + 1]?.name)
      }
      return yield* Effect.fail(exhausted(errors))
    }).pipe(Effect.withSpan("Llm.chat"))

  /** One provider's stream, retried and breaker-protected until its first event; the rest as it comes. */
  const firstEvents = (provider: LlmProvider, request: ChatRequest) =>
    attempts(() =>
      options.breakers.protect(provider.name, "stream")(
        Effect.gen(function*() {
          const pull = yield* Stream.toPull(provider.stream(request))
          const first = yield* pull.pipe(
            Effect.catchAll((error) =>
              Option.match(error, {
                onNone: () => Effect.succeed(Chunk.empty<StreamEvent>()),
                onSome: (e) => Effect.fail(e)
              })
            )
          )
          return { first, pull }
        })
      )
    )

  const stream = (request: ChatRequest): Stream.Stream<GatewayEvent, LlmError> =>
    Stream.unwrapScoped(
      Effect.gen(function*() {
        const errors: Array<LlmError> = []
        for (const [index, provider] of options.providers.entries()) {
          const outcome = yield* Effect.either(firstEvents(provider, request))
          if (outcome._tag === "Right") {
            const { first, pull } = outcome.right
            const tag = (event: StreamEvent): GatewayEvent => ({ ...event, provider: provider.name })
            // From here on the caller has output: no retry, no fallback.
            return Stream.concat(Stream.fromChunk(first), Stream.repeatEffectChunkOption(pull)).pipe(Stream.map(tag))
          }
          errors.push(outcome.left)
          if (!canFallBack(outcome.left)) return Stream.fail(outcome.left)
          yield* logFallback(provider.name, outcome.left, options.providers[index + 1]?.name)
        }
        return Stream.fail(exhausted(errors))
      })
    )

  return { chat, stream, breakers: options.breakers.snapshot } as const
}

/** The caller's own mistakes (a bad request, a prompt too long) fail the same everywhere. */
const canFallBack = (error: LlmError) => error._tag !== "LlmBadRequest" && error._tag !== "LlmContextTooLong"

export type Gateway = ReturnType<typeof makeGateway>
