import { Data, Predicate } from "effect"

/**
 * The one closed set of typed LLM failures. Provider adapters map every SDK / HTTP / stream
 * failure to exactly one of these; retries, breakers, fallback, telemetry and the HTTP layer
 * decide only from them (see the helpers at the bottom of this file).
 */

/** Which provider produced a failure. */
export type LlmProviderId = "openai" | "anthropic" | "offline"

/** The phase a timeout fired in: waiting for response headers, for the first token, between chunks, or the whole call. */
export type LlmTimeoutPhase = "headers" | "first-token" | "idle" | "total"

interface Common {
  readonly provider: LlmProviderId
  readonly message: string
  readonly cause?: unknown
}

/** 429 with a rate-limit reason. `retryAfterMs` from `retry-after-ms` / `retry-after` when the provider sent one. */
export class LlmRateLimited extends Data.TaggedError("LlmRateLimited")<Common & {
  readonly retryAfterMs?: number
}> {}

/** The account is out of credit (OpenAI `insufficient_quota`, Anthropic billing errors). Not retryable; opens the breaker at once. */
export class LlmQuotaExceeded extends Data.TaggedError("LlmQuotaExceeded")<Common> {}

/** 401 / 403: bad or missing key, no permission. Not retryable; opens the breaker at once. */
export class LlmAuthFailed extends Data.TaggedError("LlmAuthFailed")<Common> {}

/** 400 / 404 / 422 that is the caller's fault (bad parameters, unknown model). Not retryable; not a breaker failure. */
export class LlmBadRequest extends Data.TaggedError("LlmBadRequest")<Common> {}

/** The prompt does not fit the model's context window. Not retryable; not a breaker failure. */
export class LlmContextTooLong extends Data.TaggedError("LlmContextTooLong")<Common> {}

/** Provider overloaded (Anthropic 529 `overloaded_error`, 503). Retryable. */
export class LlmOverloaded extends Data.TaggedError("LlmOverloaded")<Common & {
  readonly retryAfterMs?: number
}> {}

/** Any other 5xx. Retryable. */
export class LlmServerError extends Data.TaggedError("LlmServerError")<Common & {
  readonly status: number
}> {}

/** One of our per-phase timeouts fired. Retryable (before the first token reached the caller). */
export class LlmTimeout extends Data.TaggedError("LlmTimeout")<Common & {
  readonly phase: LlmTimeoutPhase
}> {}

/** DNS, refused, reset before a response. Retryable. */
export class LlmConnectionFailed extends Data.TaggedError("LlmConnectionFailed")<Common> {}

/**
 * A stream broke after it started: socket reset, malformed line, in-band error event, or it
 * ended without its terminator. `receivedChunks` is how many chunks the adapter had produced.
 * Retryable only while nothing has reached the caller; see {@link isRetryable}.
 */
export class LlmStreamInterrupted extends Data.TaggedError("LlmStreamInterrupted")<Common & {
  readonly receivedChunks: number
}> {}

/** The model answered, but the answer failed to decode (structured output). Retryable; not a breaker failure. */
export class LlmInvalidOutput extends Data.TaggedError("LlmInvalidOutput")<Common & {
  readonly issues: string
}> {}

/**
 * The provider's circuit breaker is open (or half-open with its probe in flight). When every
 * provider's breaker is open the gateway fails with this; `retryAfterMs` is the time until the
 * (first) breaker goes half-open, for the HTTP `Retry-After` header.
 */
export class LlmUnavailable extends Data.TaggedError("LlmUnavailable")<Common & {
  readonly retryAfterMs: number
}> {}

export type LlmError =
  | LlmRateLimited
  | LlmQuotaExceeded
  | LlmAuthFailed
  | LlmBadRequest
  | LlmContextTooLong
  | LlmOverloaded
  | LlmServerError
  | LlmTimeout
  | LlmConnectionFailed
  | LlmStreamInterrupted
  | LlmInvalidOutput
  | LlmUnavailable

export type LlmErrorTag = LlmError["_tag"]

const errorTypes = {
  LlmRateLimited: "rate_limited",
  LlmQuotaExceeded: "quota_exceeded",
  LlmAuthFailed: "auth_failed",
  LlmBadRequest: "bad_request",
  LlmContextTooLong: "context_too_long",
  LlmOverloaded: "overloaded",
  LlmServerError: "server_error",
  LlmTimeout: "timeout",
  LlmConnectionFailed: "connection_failed",
  LlmStreamInterrupted: "stream_interrupted",
  LlmInvalidOutput: "invalid_output",
  LlmUnavailable: "unavailable"
} as const satisfies Record<LlmErrorTag, string>

/** Stable snake_case names for telemetry (`error.type` attributes, metric labels, log fields). */
export type LlmErrorType = (typeof errorTypes)[LlmErrorTag]

/** Every tag, in a stable order (handy for exhaustive tests and metric pre-registration). */
export const llmErrorTags: ReadonlyArray<LlmErrorTag> = Object.keys(errorTypes) as Array<LlmErrorTag>

/** True for any member of {@link LlmError}. */
export const isLlmError = (u: unknown): u is LlmError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && Object.hasOwn(errorTypes, u._tag)

/** The stable snake_case telemetry name of an error: `rate_limited`, `timeout`, … */
export const errorType = (e: LlmError): LlmErrorType => errorTypes[e._tag]

export interface RetryContext {
  /**
   * Whether any output of this logical call has already reached the caller. Once it has,
   * nothing is retryable (a retry or a fallback would splice two answers); the call must end
   * with its typed error. Defaults to `false`: the helper describes the error itself.
   */
  readonly firstTokenDelivered?: boolean
}

/**
 * Whether a fresh attempt (same provider after backoff, or the next provider) may help.
 * Retryable: rate limited, overloaded, server error, timeout (any phase), connection failed,
 * stream interrupted and invalid output — all only while `firstTokenDelivered` is not true.
 * Never retryable: auth, quota, bad request, context too long, unavailable (the breaker is
 * already saying "not now"; the gateway falls back instead).
 */
export const isRetryable = (e: LlmError, context: RetryContext = {}): boolean => {
  if (context.firstTokenDelivered === true) return false
  switch (e._tag) {
    case "LlmRateLimited":
    case "LlmOverloaded":
    case "LlmServerError":
    case "LlmTimeout":
    case "LlmConnectionFailed":
    case "LlmStreamInterrupted":
    case "LlmInvalidOutput":
      return true
    case "LlmQuotaExceeded":
    case "LlmAuthFailed":
    case "LlmBadRequest":
    case "LlmContextTooLong":
    case "LlmUnavailable":
      return false
  }
}

/** Errors that open the provider's breaker at once, without waiting for the failure threshold: auth and quota. */
export const opensBreakerImmediately = (e: LlmError): boolean =>
  e._tag === "LlmAuthFailed" || e._tag === "LlmQuotaExceeded"

/**
 * Whether an error says something about the provider's health, and so counts toward opening
 * its breaker. The caller's faults (bad request, context too long), the model's answer failing
 * our Schema (invalid output: the provider is up and answering) and the breaker's own
 * `LlmUnavailable` do not count, and leave the breaker as it is.
 */
export const countsAsBreakerFailure = (e: LlmError): boolean => {
  switch (e._tag) {
    case "LlmBadRequest":
    case "LlmContextTooLong":
    case "LlmInvalidOutput":
    case "LlmUnavailable":
      return false
    default:
      return true
  }
}

/** The provider's (or breaker's) requested wait, in milliseconds, when the error carries one. */
export const retryAfterOf = (e: LlmError): number | undefined => {
  switch (e._tag) {
    case "LlmRateLimited":
    case "LlmOverloaded":
    case "LlmUnavailable":
      return e.retryAfterMs
    default:
      return undefined
  }
}
