import { Channel, type Chunk, Effect, Option, type Scope, Stream } from "effect"
import {
  type LlmError,
  LlmAuthFailed,
  LlmBadRequest,
  LlmContextTooLong,
  LlmOverloaded,
  type LlmProviderId,
  LlmQuotaExceeded,
  LlmRateLimited,
  LlmServerError
} from "./Errors.js"

/**
 * The one interface every LLM provider implements (OpenAI, Anthropic, offline). A provider makes
 * exactly one attempt: no retries, breakers or fallback here — the gateway composes those. Every
 * failure is a member of the closed {@link LlmError} set.
 */
export interface LlmProvider {
  readonly name: ProviderName
  readonly model: string
  /** One non-streamed completion. Interrupting it aborts the HTTP request. */
  readonly chat: (request: ChatRequest) => Effect.Effect<ChatResult, LlmError>
  /**
   * Text deltas, then exactly one `Done`. A stream that ends without the provider's terminator
   * (OpenAI `[DONE]`, Anthropic `message_stop`) fails with `LlmStreamInterrupted`; it never ends
   * without `Done`. Interrupting it (or stopping consumption) aborts the HTTP request. With a
   * `schema`, the deltas are the fragments of the JSON text of the structured value.
   */
  readonly stream: (request: ChatRequest) => Stream.Stream<StreamEvent, LlmError>
  /**
   * The same stream as a pull, opened in the caller's scope (closing it aborts the request). The
   * gateway reads this when a provider has it: no Stream machinery between the wire and the
   * gateway's own stream, which matters for the latency it adds. Without it, the gateway pulls
   * from `stream`.
   */
  readonly streamPull?: (request: ChatRequest) => Effect.Effect<StreamPull, never, Scope.Scope>
}

/**
 * A stream as a pull: each run gives the next events (never an empty chunk), fails with
 * `Option.some(error)`, or with `Option.none()` once the stream has ended (what
 * `Stream.repeatEffectChunkOption` takes and `Stream.toPull` gives).
 */
export type StreamPull = Effect.Effect<Chunk.Chunk<StreamEvent>, Option.Option<LlmError>>

/**
 * The stream of a pull (after `first`, when given), as one channel loop: what
 * `Stream.repeatEffectChunkOption` does, at about two thirds of its cost per chunk (measured with
 * `Stream.runForEach`), which counts on a stream of one chunk per token.
 */
export const streamOfPull = <A, E>(
  pull: Effect.Effect<Chunk.Chunk<A>, Option.Option<E>>,
  first?: Chunk.Chunk<A>
): Stream.Stream<A, E> => {
  const next = Effect.catchAll(pull, (error) =>
    Option.match(error, { onNone: () => Effect.succeed(undefined), onSome: (e) => Effect.fail(e) }))
  const loop: Channel.Channel<Chunk.Chunk<A>, unknown, E, unknown, void, unknown> = Channel.flatMap(
    Channel.fromEffect(next),
    (chunk) => (chunk === undefined ? Channel.void : Channel.zipRight(Channel.write(chunk), loop))
  )
  return Stream.fromChannel(first === undefined ? loop : Channel.zipRight(Channel.write(first), loop))
}

export type ProviderName = LlmProviderId

export interface ChatMessage {
  readonly role: "user" | "assistant"
  readonly content: string
}

/** A JSON Schema for structured output (e.g. from Effect's `JSONSchema.make`). */
export interface StructuredOutput {
  readonly name: string
  readonly jsonSchema: Readonly<Record<string, unknown>>
}

export interface ChatRequest {
  readonly system?: string
  readonly messages: ReadonlyArray<ChatMessage>
  readonly maxTokens?: number
  readonly temperature?: number
  /** Ask for a JSON value valid against this schema; the parsed value comes back in `structured`. */
  readonly schema?: StructuredOutput
  /**
   * What the call is for (`quiz`, `coaching`). Remote providers ignore it; the offline provider
   * writes its specialised answer for it from the same prompt.
   */
  readonly task?: string
}

export type FinishReason = "stop" | "length" | "tool" | "content_filter" | "other"

export interface TokenUsage {
  readonly inputTokens: number
  readonly outputTokens: number
}

/** `"unknown"`, never 0, when the provider did not report it. */
export type Usage = TokenUsage | "unknown"

export interface ChatResult {
  /** The answer's text; with a `schema`, the JSON text of the structured value. */
  readonly text: string
  readonly finishReason: FinishReason
  readonly usage: Usage
  /** With a `schema`: the parsed JSON value (validated against a Schema by the gateway, not here). */
  readonly structured?: unknown
}

export type StreamEvent =
  | { readonly _tag: "Delta"; readonly text: string }
  | { readonly _tag: "Done"; readonly finishReason: FinishReason; readonly usage: Usage }

export const Delta = (text: string): StreamEvent => ({ _tag: "Delta", text })
export const Done = (finishReason: FinishReason, usage: Usage): StreamEvent => ({ _tag: "Done", finishReason, usage })

/**
 * Per-phase timeouts, each failing with `LlmTimeout { phase }`, all measured with Effect's
 * `Clock` (so `TestClock` drives them; the SDK's own `timeout` is set to `headersMs` as well):
 * - `headersMs`: request sent → response headers;
 * - `firstTokenMs`: headers → first text delta (streams);
 * - `idleMs`: between two chunks once text flows (streams);
 * - `totalMs`: the whole call, whatever the phase.
 */
export interface Timeouts {
  readonly headersMs: number
  readonly firstTokenMs: number
  readonly idleMs: number
  readonly totalMs: number
}

export const defaultTimeouts: Timeouts = {
  headersMs: 15_000,
  firstTokenMs: 20_000,
  idleMs: 15_000,
  totalMs: 120_000
}

export const timeoutsOf = (partial: Partial<Timeouts> | undefined): Timeouts => ({ ...defaultTimeouts, ...partial })

/** Default `max_tokens` where a provider requires one (Anthropic). */
export const defaultMaxTokens = 1024

// ---------------------------------------------------------------------------------------------
// Mapping provider failures to the closed error set (shared by the OpenAI and Anthropic adapters)
// ---------------------------------------------------------------------------------------------

/** What an SDK error (or an in-band stream error event) tells about a failure. */
export interface ProviderFailure {
  readonly provider: ProviderName
  /** HTTP status; undefined for in-band stream errors (they arrive after a 200). */
  readonly status: number | undefined
  /** The body's error type (`rate_limit_error`, `insufficient_quota`, `server_error`, …). */
  readonly type: string | null | undefined
  /** OpenAI's error code (`insufficient_quota`, `context_length_exceeded`, `invalid_api_key`, …). */
  readonly code: string | null | undefined
  readonly message: string
  readonly headers: Headers | undefined
  readonly cause: unknown
}

/**
 * `retry-after-ms` (milliseconds, OpenAI and Anthropic both send it sometimes), else `retry-after`
 * (seconds, or an HTTP date). Undefined when absent or unparsable.
 */
export const retryAfterMsOf = (headers: Headers | undefined, now: number = Date.now()): number | undefined => {
  if (headers === undefined) return undefined
  const ms = headers.get("retry-after-ms")
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms)
    if (Number.isFinite(value) && value >= 0) return Math.round(value)
  }
  const after = headers.get("retry-after")
  if (after === null || after.trim() === "") return undefined
  const seconds = Number(after)
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined
  const date = Date.parse(after)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

const contextTooLong = /prompt is too long|maximum context length|context window|too many tokens/i
const quota = /credit balance is too low|exceeded your current quota|billing/i

/**
 * The mapping table (status and body → error), the same for both providers:
 * - quota: OpenAI `insufficient_quota` (code or type), Anthropic `billing_error`, 402, or a
 *   400/403/429/in-band message about credit/quota/billing → `LlmQuotaExceeded` (checked
 *   before 429, which it shares);
 * - 401, 403, `authentication_error`, `permission_error`, `invalid_api_key` → `LlmAuthFailed`;
 * - `context_length_exceeded`, Anthropic "prompt is too long", 413 `request_too_large`
 *   → `LlmContextTooLong`;
 * - 429, `rate_limit_error`, `rate_limit_exceeded` → `LlmRateLimited { retryAfterMs }`;
 * - 529, 503, `overloaded_error`, or an in-band server error saying "overloaded"
 *   → `LlmOverloaded { retryAfterMs }`;
 * - other 5xx, 408, 409, `api_error`/`server_error` → `LlmServerError { status }` (500 for an
 *   in-band error, which has no status of its own);
 * - other 4xx, `invalid_request_error`, `not_found_error` → `LlmBadRequest`;
 * - anything else in-band → `LlmServerError { status: 500 }`.
 */
export const fromProviderFailure = (f: ProviderFailure): LlmError => {
  const { provider, status, message, cause } = f
  const type = f.type ?? undefined
  const code = f.code ?? undefined
  const common = { provider, message, cause }
  const retryAfterMs = retryAfterMsOf(f.headers)
  const withRetryAfter = retryAfterMs === undefined ? common : { ...common, retryAfterMs }
  if (
    code === "insufficient_quota" || type === "insufficient_quota" || type === "billing_error" || status === 402 ||
    ((status === undefined || status === 400 || status === 403 || status === 429) && quota.test(message))
  ) {
    return new LlmQuotaExceeded(common)
  }
  if (
    status === 401 || status === 403 || type === "authentication_error" || type === "permission_error" ||
    code === "invalid_api_key"
  ) return new LlmAuthFailed(common)
  if (
    code === "context_length_exceeded" || type === "request_too_large" || status === 413 ||
    ((status === 400 || status === undefined) && contextTooLong.test(message))
  ) return new LlmContextTooLong(common)
  if (status === 429 || type === "rate_limit_error" || code === "rate_limit_exceeded") {
    return new LlmRateLimited(withRetryAfter)
  }
  if (
    status === 529 || status === 503 || type === "overloaded_error" ||
    (status === undefined && /overloaded/i.test(message))
  ) return new LlmOverloaded(withRetryAfter)
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return new LlmServerError({ ...common, status })
  }
  if (status !== undefined && status >= 400) return new LlmBadRequest(common)
  if (type === "invalid_request_error" || type === "not_found_error") return new LlmBadRequest(common)
  return new LlmServerError({ ...common, status: status ?? 500 })
}

export const messageOf = (u: unknown): string => (u instanceof Error ? u.message : String(u))

/** An SDK connection error's message with its underlying cause (`ECONNRESET`, `terminated`, …). */
export const connectionMessage = (e: Error): string =>
  e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message

export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

export const stringOr = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

/** Provider tool / schema names: `^[a-zA-Z0-9_-]{1,64}$` (OpenAI's rule; Anthropic's is the same). */
export const schemaName = (name: string): string => name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "output"
