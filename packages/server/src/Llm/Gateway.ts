import {
  Chunk,
  Clock,
  Effect,
  ExecutionStrategy,
  Exit,
  FiberId,
  Option,
  ParseResult,
  Schema,
  Scope,
  Stream,
  type Tracer
} from "effect"
import type { BreakersRegistry } from "./Breaker.js"
import { type EmbeddingProvider, type EmbedResult, makeEmbedder } from "./Embed.js"
import { errorType, type LlmError, type LlmErrorType, LlmInvalidOutput, LlmUnavailable } from "./Errors.js"
import {
  Attr,
  errorAttributes,
  genAiFinishReason,
  modelAttributes,
  type Operation,
  recordCall,
  recordFallback,
  recordRetry,
  usageAttributes
} from "./Observability.js"
import {
  type ChatRequest,
  type ChatResult,
  type FinishReason,
  type LlmProvider,
  type ProviderName,
  type StreamEvent,
  type StreamPull,
  streamOfPull,
  type Usage
} from "./Provider.js"
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
  /**
   * The embeddings provider behind `embed` (with its own `embed` breaker and this retry policy;
   * no fallback). Without one, `embed` fails with `LlmUnavailable`.
   */
  readonly embeddings?: EmbeddingProvider
  /**
   * Told about every logical call once it has ended (e.g. LangSmith). Runs on the call's fiber
   * when the call ends, so it must only hand the record off (enqueue it), never do I/O; its
   * failures and defects are ignored.
   */
  readonly observer?: GatewayObserver
}

/** A fallback from one provider to the next (`to` undefined: none was left). */
export interface Fallback {
  readonly from: ProviderName
  readonly to: ProviderName | undefined
  readonly reason: LlmErrorType
}

export type CallOutcome =
  | {
    readonly _tag: "Success"
    readonly text: string
    readonly finishReason: FinishReason
    readonly usage: Usage
    readonly structured?: unknown
  }
  | {
    readonly _tag: "Failure"
    readonly error: LlmError
    /** What reached the caller before a stream broke ("" otherwise). */
    readonly text: string
    /** `"unknown"` when a stream broke after it started; undefined when no answer came at all. */
    readonly usage: Usage | undefined
  }
  /** The caller stopped consuming a stream (or interrupted the call) before its end. */
  | { readonly _tag: "Cancelled"; readonly text: string }

/** One logical call, as the gateway saw it. */
export interface CallRecord {
  readonly operation: Operation
  readonly request: ChatRequest
  /** Clock ms (epoch). */
  readonly startedAt: number
  readonly endedAt: number
  /** The provider that answered, or the last one tried; undefined when none was. */
  readonly provider: ProviderName | undefined
  readonly model: string | undefined
  /** Attempts made in all, across providers (breaker refusals included). */
  readonly attempts: number
  readonly fallbacks: ReadonlyArray<Fallback>
  /** Streams: ms from the start of the call to its first event reaching the caller. */
  readonly timeToFirstTokenMs: number | undefined
  readonly outcome: CallOutcome
  /** The logical call's span, to correlate (e.g. LangSmith metadata). */
  readonly traceId: string
  readonly spanId: string
}

export interface GatewayObserver {
  readonly onCall: (record: CallRecord) => Effect.Effect<void>
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
  const retry = options.retry ?? {}
  const attempts = retryAttempts({
    ...retry,
    onRetry: (event) =>
      Effect.zipRight(recordRetry(event.error.provider, event.error), retry.onRetry?.(event) ?? Effect.void)
  })
  const observer = options.observer
  const keepText = observer !== undefined

  /** What a logical call learns as it goes (one per call, touched only by its own fiber). */
  interface CallState {
    readonly operation: Operation
    readonly request: ChatRequest
    readonly startedAt: number
    readonly startedNanos: bigint
    readonly span: Tracer.Span
    provider: LlmProvider | undefined
    attempts: number
    readonly fallbacks: Array<Fallback>
    firstEventNanos: bigint | undefined
    text: string
    done: Extract<StreamEvent, { _tag: "Done" }> | undefined
    error: LlmError | undefined
  }

  /** The logical call's span, a child of the caller's current span. */
  const begin = (operation: Operation, request: ChatRequest) =>
    Effect.gen(function*() {
      const span = yield* Effect.makeSpan(operation === "chat" ? "Llm.chat" : "Llm.stream", {
        kind: "client",
        // The caller's stack says nothing the span's parent does not, and capturing it costs.
        captureStackTrace: false,
        attributes: {
          [Attr.operation]: "chat",
          [Attr.streaming]: operation === "stream",
          ...(request.maxTokens === undefined ? {} : { [Attr.maxTokens]: request.maxTokens }),
          ...(request.temperature === undefined ? {} : { [Attr.temperature]: request.temperature })
        }
      })
      const state: CallState = {
        operation,
        request,
        startedAt: yield* Clock.currentTimeMillis,
        startedNanos: yield* Clock.currentTimeNanos,
        span,
        provider: undefined,
        attempts: 0,
        fallbacks: [],
        firstEventNanos: undefined,
        text: "",
        done: undefined,
        error: undefined
      }
      return state
    })

  const attributes = (span: Tracer.Span, attrs: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(attrs)) span.attribute(key, value)
  }

  /** Ends the logical span, records the call's metrics and tells the observer. */
  const finish = (state: CallState, outcome: CallOutcome) =>
    Effect.gen(function*() {
      const endedNanos = yield* Clock.currentTimeNanos
      const endedAt = yield* Clock.currentTimeMillis
      const { span, provider } = state
      const ttftNanos = state.firstEventNanos === undefined ? undefined : state.firstEventNanos - state.startedNanos
      const usage = outcome._tag === "Cancelled" ? undefined : outcome.usage
      attributes(span, {
        ...(provider === undefined ? {} : modelAttributes(provider.name, provider.model)),
        [Attr.attempts]: state.attempts,
        [Attr.fallbacks]: state.fallbacks.length,
        ...(state.fallbacks.length === 0 ? {} : {
          [Attr.fallbackReasons]: state.fallbacks.map((f) => f.reason).join(","),
          [Attr.providersTried]: [...new Set(state.fallbacks.flatMap((f) => [f.from, ...(f.to ? [f.to] : [])]))].join(",")
        }),
        ...(ttftNanos === undefined ? {} : { [Attr.timeToFirstTokenMs]: Number(ttftNanos) / 1e6 }),
        ...(usage === undefined ? {} : usageAttributes(usage)),
        ...(outcome._tag === "Success" && provider !== undefined
          ? { [Attr.responseModel]: provider.model, [Attr.finishReasons]: [genAiFinishReason(outcome.finishReason)] }
          : {}),
        ...(outcome._tag === "Failure" ? errorAttributes(outcome.error) : {}),
        ...(outcome._tag === "Cancelled" ? { [Attr.errorType]: "cancelled" } : {})
      })
      span.end(
        endedNanos,
        outcome._tag === "Failure" ? Exit.fail(outcome.error) : outcome._tag === "Cancelled" ? Exit.interrupt(FiberId.none) : Exit.void
      )
      if (provider !== undefined) {
        yield* recordCall({
          operation: state.operation,
          provider: provider.name,
          model: provider.model,
          durationSeconds: Number(endedNanos - state.startedNanos) / 1e9,
          usage,
          error: outcome._tag === "Failure" ? outcome.error : undefined,
          timeToFirstChunkSeconds: ttftNanos === undefined ? undefined : Number(ttftNanos) / 1e9
        })
      }
      if (observer !== undefined) {
        yield* observer.onCall({
          operation: state.operation,
          request: state.request,
          startedAt: state.startedAt,
          endedAt,
          provider: provider?.name,
          model: provider?.model,
          attempts: state.attempts,
          fallbacks: state.fallbacks,
          timeToFirstTokenMs: ttftNanos === undefined ? undefined : Number(ttftNanos) / 1e6,
          outcome,
          traceId: span.traceId,
          spanId: span.spanId
        }).pipe(Effect.catchAllCause(() => Effect.void))
      }
    })

  /** Counts an attempt on `provider` and opens its child span (`chat {model}`) under the logical one. */
  const attemptSpan = (state: CallState, provider: LlmProvider, attempt: number) =>
    Effect.suspend(() => {
      state.provider = provider
      state.attempts += 1
      return Effect.makeSpan(`chat ${provider.model}`, {
        parent: state.span,
        kind: "client",
        captureStackTrace: false,
        attributes: { [Attr.operation]: "chat", ...modelAttributes(provider.name, provider.model), [Attr.attempt]: attempt }
      })
    })

  const endAttempt = (span: Tracer.Span, exit: Exit.Exit<unknown, LlmError>) =>
    Effect.flatMap(Clock.currentTimeNanos, (now) =>
      Effect.sync(() => {
        if (Exit.isFailure(exit)) {
          const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
          if (failure !== undefined) attributes(span, errorAttributes(failure))
        }
        span.end(now, exit)
      }))

  const fellBack = (state: CallState, from: LlmProvider, error: LlmError, to: LlmProvider | undefined) =>
    Effect.gen(function*() {
      const fallback: Fallback = { from: from.name, to: to?.name, reason: errorType(error) }
      state.fallbacks.push(fallback)
      state.span.event("llm.fallback", yield* Clock.currentTimeNanos, {
        [Attr.from]: fallback.from,
        [Attr.to]: fallback.to ?? "none",
        [Attr.reason]: fallback.reason
      })
      yield* recordFallback(from.name, error, to?.name)
      yield* logFallback(from.name, error, to?.name)
    })

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

  /** One attempt of a chat, in its own child span. */
  const chatAttempt = <A, I>(
    state: CallState,
    provider: LlmProvider,
    request: ChatRequest,
    schema: Schema.Schema<A, I> | undefined,
    attempt: number
  ) =>
    Effect.flatMap(attemptSpan(state, provider, attempt), (span) =>
      chatOnce(provider, request, schema).pipe(
        Effect.tap((outcome) =>
          Effect.sync(() =>
            attributes(span, {
              ...usageAttributes(outcome.usage),
              [Attr.responseModel]: outcome.model,
              [Attr.finishReasons]: [genAiFinishReason(outcome.finishReason)]
            })
          )
        ),
        Effect.withParentSpan(span),
        Effect.onExit((exit) => endAttempt(span, exit))
      ))

  /** A completion from the first provider that delivers one; with `schema`, decoded (invalid output is retried, then failed over). */
  const chat = <A = string, I = unknown>(request: ChatRequest, schema?: Schema.Schema<A, I>) =>
    Effect.flatMap(begin("chat", request), (state) =>
      Effect.gen(function*() {
        const errors: Array<LlmError> = []
        for (const [index, provider] of options.providers.entries()) {
          const outcome = yield* Effect.either(attempts((n) => chatAttempt(state, provider, request, schema, n)))
          if (outcome._tag === "Right") return outcome.right
          errors.push(outcome.left)
          if (!canFallBack(outcome.left)) return yield* Effect.fail(outcome.left)
          yield* fellBack(state, provider, outcome.left, options.providers[index + 1])
        }
        return yield* Effect.fail(exhausted(errors))
      }).pipe(
        Effect.withParentSpan(state.span),
        Effect.onExit((exit) =>
          finish(
            state,
            Exit.isSuccess(exit)
              ? {
                _tag: "Success",
                text: exit.value.text,
                finishReason: exit.value.finishReason,
                usage: exit.value.usage,
                ...(exit.value.structured === undefined ? {} : { structured: exit.value.structured })
              }
              : exit.cause._tag === "Fail"
              ? { _tag: "Failure", error: exit.cause.error, text: "", usage: undefined }
              : { _tag: "Cancelled", text: "" }
          )
        )
      ))

  /** The first events of a pull; an empty chunk when the stream ended at once. */
  const firstChunk = (pull: StreamPull) =>
    Effect.catchAll(pull, (error) =>
      Option.match(error, {
        onNone: () => Effect.succeed(Chunk.empty<StreamEvent>()),
        onSome: (e) => Effect.fail(e)
      }))

  /** A provider's stream as a pull in `scope`: its own when it has one, else read through `Stream.toPull`. */
  const openPull = (provider: LlmProvider, request: ChatRequest, scope: Scope.Scope) =>
    Scope.extend(provider.streamPull?.(request) ?? Stream.toPull(provider.stream(request)), scope)

  /**
   * One provider's stream, retried and breaker-protected until its first event; the rest as it
   * comes. Each attempt has its own child span, and its own scope: a failed attempt's request is
   * closed at once, the winner's when the caller's stream ends (its span stays open till then).
   */
  const firstEvents = (state: CallState, provider: LlmProvider, request: ChatRequest, outer: Scope.Scope) =>
    attempts((n) =>
      Effect.flatMap(attemptSpan(state, provider, n), (span) =>
        options.breakers.protect(provider.name, "stream")(
          Effect.flatMap(Scope.fork(outer, ExecutionStrategy.sequential), (scope) =>
            Effect.flatMap(openPull(provider, request, scope), (pull) =>
              Effect.map(firstChunk(pull), (first) => ({ first, pull, span }))).pipe(
                Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)))
              ))
        ).pipe(
          Effect.withParentSpan(span),
          Effect.onExit((exit) => (Exit.isSuccess(exit) ? Effect.void : endAttempt(span, exit)))
        ))
    )

  const stream = (request: ChatRequest): Stream.Stream<GatewayEvent, LlmError> =>
    Stream.unwrapScoped(
      Effect.gen(function*() {
        const state = yield* begin("stream", request)
        const clock = yield* Effect.clock
        const outer = yield* Effect.scope
        let winner: Tracer.Span | undefined
        yield* Effect.addFinalizer(() => {
          const outcome: CallOutcome = state.error !== undefined
            ? {
              _tag: "Failure",
              error: state.error,
              text: state.text,
              // It broke after it started: whatever it used, we were not told.
              usage: state.firstEventNanos === undefined ? undefined : "unknown"
            }
            : state.done !== undefined
            ? { _tag: "Success", text: state.text, finishReason: state.done.finishReason, usage: state.done.usage }
            : { _tag: "Cancelled", text: state.text }
          const attempt = winner
          return Effect.zipRight(
            attempt === undefined ? Effect.void : Effect.gen(function*() {
              if (outcome._tag === "Success") {
                attributes(attempt, {
                  ...usageAttributes(outcome.usage),
                  [Attr.responseModel]: state.provider?.model,
                  [Attr.finishReasons]: [genAiFinishReason(outcome.finishReason)]
                })
              } else if (outcome._tag === "Failure" && outcome.usage !== undefined) {
                attributes(attempt, usageAttributes(outcome.usage))
              }
              yield* endAttempt(
                attempt,
                outcome._tag === "Failure" ? Exit.fail(outcome.error) : outcome._tag === "Cancelled" ? Exit.interrupt(FiberId.none) : Exit.void
              )
            }),
            finish(state, outcome)
          )
        })
        const failed = (error: LlmError) =>
          Effect.sync(() => {
            state.error = error
          })

        const errors: Array<LlmError> = []
        for (const [index, provider] of options.providers.entries()) {
          const outcome = yield* Effect.either(firstEvents(state, provider, request, outer).pipe(Effect.withParentSpan(state.span)))
          if (outcome._tag === "Right") {
            const { first: opening, pull, span } = outcome.right
            winner = span
            const name = provider.name
            /** What the caller gets: observed (text, terminator, first-event time) and tagged, in one pass. */
            const deliver = (chunk: Chunk.Chunk<StreamEvent>): Chunk.Chunk<GatewayEvent> => {
              if (state.firstEventNanos === undefined) state.firstEventNanos = clock.unsafeCurrentTimeNanos()
              return Chunk.map(chunk, (event): GatewayEvent => {
                if (event._tag === "Delta") {
                  if (keepText) state.text += event.text
                  return { _tag: "Delta", text: event.text, provider: name }
                }
                state.done = event
                return { _tag: "Done", finishReason: event.finishReason, usage: event.usage, provider: name }
              })
            }
            const rest = Effect.mapBoth(pull, {
              onSuccess: deliver,
              onFailure: (error) => {
                if (Option.isSome(error)) state.error = error.value
                return error
              }
            })
            // From here on the caller has output: no retry, no fallback. One stream stage (no
            // tap/map/concat layers: each costs an Effect per chunk).
            return Chunk.isEmpty(opening) ? Stream.empty : streamOfPull(rest, deliver(opening))
          }
          errors.push(outcome.left)
          if (!canFallBack(outcome.left)) {
            yield* failed(outcome.left)
            return Stream.fail(outcome.left)
          }
          yield* fellBack(state, provider, outcome.left, options.providers[index + 1]).pipe(Effect.withParentSpan(state.span))
        }
        const error = exhausted(errors)
        yield* failed(error)
        return Stream.fail(error)
      })
    )

  const embed = options.embeddings === undefined
    ? (_texts: ReadonlyArray<string>): Effect.Effect<EmbedResult, LlmError> =>
      Effect.fail(new LlmUnavailable({ provider: "offline", message: "No embeddings provider is configured.", retryAfterMs: 60_000 }))
    : makeEmbedder({ provider: options.embeddings, breakers: options.breakers, retry })

  return { chat, stream, embed, breakers: options.breakers.snapshot } as const
}

/** The caller's own mistakes (a bad request, a prompt too long) fail the same everywhere. */
const canFallBack = (error: LlmError) => error._tag !== "LlmBadRequest" && error._tag !== "LlmContextTooLong"

export type Gateway = ReturnType<typeof makeGateway>
