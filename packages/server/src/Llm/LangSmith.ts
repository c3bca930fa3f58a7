import { Cause, Duration, Effect, Queue, Redacted, type Scope } from "effect"
import { Client } from "langsmith"
import { errorType } from "./Errors.js"
import { messageOf } from "./Provider.js"
import type { CallRecord, GatewayObserver } from "./Gateway.js"

/**
 * LangSmith runs for LLM calls, off the request's critical path: the gateway hands each ended
 * call to `onCall`, which only offers it to a bounded, dropping queue; background fibers post the
 * runs (`POST {endpoint}/runs`, one request per run, through the `langsmith` client). A slow,
 * failing or unreachable LangSmith delays and fails nothing but its own posts: a post (with the
 * client's own retries of 5xx) is bounded by `timeoutMs`, and when the queue is full new runs are
 * dropped.
 */

export interface LangSmithOptions {
  readonly apiKey: Redacted.Redacted
  /** The API's base URL, e.g. `https://api.smith.langchain.com` (`LANGSMITH_ENDPOINT`). */
  readonly endpoint: string
  /** The project the runs go to (`LANGSMITH_PROJECT`). */
  readonly project: string
  /** Per run, the client's retries included. Default 10 000 ms. */
  readonly timeoutMs?: number
  /** Runs waiting to be posted; beyond that, new runs are dropped. Default 1 000. */
  readonly capacity?: number
  /** Posts in flight at once. Default 2. */
  readonly concurrency?: number
}

export interface LangSmithRun {
  readonly id: string
  readonly name: string
  readonly run_type: "llm"
  readonly project_name: string
  readonly start_time: number
  readonly end_time: number
  readonly inputs: Record<string, unknown>
  readonly outputs?: Record<string, unknown>
  readonly error?: string
  readonly extra: { readonly metadata: Record<string, unknown> }
}

/** The LangSmith run of one gateway call (an `llm` run, with LangSmith's `ls_*` metadata and `usage_metadata`). */
export const runOf = (record: CallRecord, project: string, id: string = crypto.randomUUID()): LangSmithRun => {
  const { outcome, request } = record
  const usage = outcome._tag === "Cancelled" ? undefined : outcome.usage
  const messages = [
    ...(request.system === undefined ? [] : [{ role: "system", content: request.system }]),
    ...request.messages.map((m) => ({ role: m.role, content: m.content }))
  ]
  const outputs = outcome._tag === "Success"
    ? {
      message: { role: "assistant", content: outcome.text },
      finish_reason: outcome.finishReason,
      ...(outcome.structured === undefined ? {} : { structured: outcome.structured }),
      ...(outcome.usage === "unknown" ? {} : {
        usage_metadata: {
          input_tokens: outcome.usage.inputTokens,
          output_tokens: outcome.usage.outputTokens,
          total_tokens: outcome.usage.inputTokens + outcome.usage.outputTokens
        }
      })
    }
    : outcome.text.length > 0
    ? { message: { role: "assistant", content: outcome.text } }
    : undefined
  return {
    id,
    name: record.operation === "chat" ? "Llm.chat" : "Llm.stream",
    run_type: "llm",
    project_name: project,
    start_time: record.startedAt,
    end_time: record.endedAt,
    inputs: {
      messages,
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.schema === undefined ? {} : { response_format: request.schema.name })
    },
    ...(outputs === undefined ? {} : { outputs }),
    ...(outcome._tag === "Failure"
      ? { error: `${errorType(outcome.error)}: ${outcome.error.message}` }
      : outcome._tag === "Cancelled"
      ? { error: "cancelled" }
      : {}),
    extra: {
      metadata: {
        ls_model_type: "chat",
        ...(record.provider === undefined ? {} : { ls_provider: record.provider }),
        ...(record.model === undefined ? {} : { ls_model_name: record.model }),
        ...(request.maxTokens === undefined ? {} : { ls_max_tokens: request.maxTokens }),
        ...(request.temperature === undefined ? {} : { ls_temperature: request.temperature }),
        streaming: record.operation === "stream",
        attempts: record.attempts,
        fallbacks: record.fallbacks.map((f) => `${f.from}→${f.to ?? "none"} (${f.reason})`),
        ...(record.timeToFirstTokenMs === undefined ? {} : { time_to_first_token_ms: record.timeToFirstTokenMs }),
        // Never a 0 for what we were not told.
        ...(usage === "unknown" ? { usage: "unknown" } : {}),
        otel_trace_id: record.traceId,
        otel_span_id: record.spanId
      }
    }
  }
}

export interface LangSmith extends GatewayObserver {
  /** Runs queued and not yet posted (or in flight). */
  readonly pending: Effect.Effect<number>
  /** Waits until every queued run has been posted (or given up on), at most `timeout`. */
  readonly flush: (timeout: Duration.DurationInput) => Effect.Effect<void>
}

/**
 * Starts the background posters in the current scope; closing it tries to post what is queued
 * for up to 2 s, then stops them.
 */
export const makeLangSmith = (options: LangSmithOptions): Effect.Effect<LangSmith, never, Scope.Scope> =>
  Effect.gen(function*() {
    const timeoutMs = options.timeoutMs ?? 10_000

    /**
     * One client per poster, each with one post at a time, so a post's fetches (the client retries
     * 5xx on its own) can be tied to the post's own abort signal: when `timeoutMs` is up, the post
     * is interrupted and whatever the client is still doing for it is aborted with it.
     */
    const poster = Effect.gen(function*() {
      let current: AbortSignal | undefined
      const client = new Client({
        apiUrl: options.endpoint.replace(/\/+$/, ""),
        apiKey: Redacted.value(options.apiKey),
        // One request per run to `/runs`, no background batching of its own: the queue is ours.
        autoBatchTracing: false,
        timeout_ms: timeoutMs,
        disablePromptCache: true,
        tracingMode: "langsmith",
        fetchImplementation: (input, init) => {
          const signals = [init?.signal, current].filter((s): s is AbortSignal => s != null)
          return fetch(input, { ...init, signal: AbortSignal.any(signals) })
        }
      })
      const post = (record: CallRecord) =>
        Effect.tryPromise((signal) => {
          current = signal
          return client.createRun(runOf(record, options.project))
        }).pipe(
          Effect.timeoutFail({ duration: Duration.millis(timeoutMs), onTimeout: () => new Error(`timed out after ${timeoutMs} ms`) }),
          Effect.matchCauseEffect({
            onSuccess: () =>
              Effect.sync(() => {
                failing = false
              }),
            // Say so once when LangSmith starts failing, not once per run.
            onFailure: (cause) => {
              const reason = messageOf(Cause.squash(cause))
              if (failing) return Effect.logDebug(`LangSmith: run not posted: ${reason}`)
              failing = true
              return Effect.logWarning(`LangSmith: runs are not being posted: ${reason}`)
            }
          }),
          Effect.ensuring(Effect.sync(() => {
            outstanding -= 1
          }))
        )
      return yield* Effect.forever(Effect.flatMap(Queue.take(queue), post))
    })

    const queue = yield* Queue.dropping<CallRecord>(Math.max(1, options.capacity ?? 1_000))
    /** Offered and not yet done with (queued or in flight). */
    let outstanding = 0
    let failing = false
    for (let i = 0; i < Math.max(1, options.concurrency ?? 2); i++) yield* Effect.forkScoped(poster)

    const pending = Effect.sync(() => outstanding)
    const idle: Effect.Effect<void> = Effect.flatMap(
      pending,
      (n) => (n === 0 ? Effect.void : Effect.zipRight(Effect.sleep(Duration.millis(10)), Effect.suspend(() => idle)))
    )
    const flush = (timeout: Duration.DurationInput) => idle.pipe(Effect.timeout(timeout), Effect.ignore)

    // Finalizers run in reverse: this one before the workers are interrupted.
    yield* Effect.addFinalizer(() => flush("2 seconds"))

    return {
      onCall: (record) =>
        Effect.suspend(() => {
          outstanding += 1
          return Effect.map(Queue.offer(queue, record), (accepted) => {
            if (!accepted) outstanding -= 1
          })
        }),
      pending,
      flush
    }
  })
