import { describe, expect, it } from "@effect/vitest"
import type { LlmError, LlmErrorTag } from "../../src/Llm/Errors.js"
import {
  countsAsBreakerFailure,
  errorType,
  isLlmError,
  isRetryable,
  llmErrorTags,
  LlmAuthFailed,
  LlmBadRequest,
  LlmConnectionFailed,
  LlmContextTooLong,
  LlmInvalidOutput,
  LlmOverloaded,
  LlmQuotaExceeded,
  LlmRateLimited,
  LlmServerError,
  LlmStreamInterrupted,
  LlmTimeout,
  LlmUnavailable,
  opensBreakerImmediately,
  retryAfterOf
} from "../../src/Llm/Errors.js"

const provider = "openai" as const
const message = "boom"

/** One instance of every error, keyed by tag (the `Record` makes the list exhaustive). */
const samples: Record<LlmErrorTag, LlmError> = {
  LlmRateLimited: new LlmRateLimited({ provider, message, retryAfterMs: 2_000 }),
  LlmQuotaExceeded: new LlmQuotaExceeded({ provider, message }),
  LlmAuthFailed: new LlmAuthFailed({ provider, message }),
  LlmBadRequest: new LlmBadRequest({ provider, message }),
  LlmContextTooLong: new LlmContextTooLong({ provider, message }),
  LlmOverloaded: new LlmOverloaded({ provider: "anthropic", message }),
  LlmServerError: new LlmServerError({ provider, message, status: 502 }),
  LlmTimeout: new LlmTimeout({ provider, message, phase: "first-token" }),
  LlmConnectionFailed: new LlmConnectionFailed({ provider, message, cause: new Error("ECONNRESET") }),
  LlmStreamInterrupted: new LlmStreamInterrupted({ provider, message, receivedChunks: 0 }),
  LlmInvalidOutput: new LlmInvalidOutput({ provider, message, issues: "Expected string" }),
  LlmUnavailable: new LlmUnavailable({ provider: "offline", message, retryAfterMs: 5_000 })
}

//                        retryable, opens at once, counts for breaker, errorType
const table: Record<LlmErrorTag, readonly [boolean, boolean, boolean, string]> = {
  LlmRateLimited: [true, false, true, "rate_limited"],
  LlmQuotaExceeded: [false, true, true, "quota_exceeded"],
  LlmAuthFailed: [false, true, true, "auth_failed"],
  LlmBadRequest: [false, false, false, "bad_request"],
  LlmContextTooLong: [false, false, false, "context_too_long"],
  LlmOverloaded: [true, false, true, "overloaded"],
  LlmServerError: [true, false, true, "server_error"],
  LlmTimeout: [true, false, true, "timeout"],
  LlmConnectionFailed: [true, false, true, "connection_failed"],
  LlmStreamInterrupted: [true, false, true, "stream_interrupted"],
  LlmInvalidOutput: [true, false, false, "invalid_output"],
  LlmUnavailable: [false, false, false, "unavailable"]
}

describe("LLM errors", () => {
  it("lists every tag once", () => {
    expect([...llmErrorTags].sort()).toEqual(Object.keys(samples).sort())
  })

  it.each(Object.keys(table) as Array<LlmErrorTag>)("%s is classified", (tag) => {
    const e = samples[tag]
    const [retryable, immediate, counts, type] = table[tag]
    expect(e._tag).toBe(tag)
    expect(isRetryable(e)).toBe(retryable)
    expect(opensBreakerImmediately(e)).toBe(immediate)
    expect(countsAsBreakerFailure(e)).toBe(counts)
    expect(errorType(e)).toBe(type)
    expect(isLlmError(e)).toBe(true)
  })

  it("nothing is retryable once output reached the caller", () => {
    for (const e of Object.values(samples)) {
      expect(isRetryable(e, { firstTokenDelivered: true })).toBe(false)
    }
    expect(isRetryable(samples.LlmStreamInterrupted, { firstTokenDelivered: false })).toBe(true)
  })

  it("errorType names are unique snake_case", () => {
    const types = Object.values(samples).map(errorType)
    expect(new Set(types).size).toBe(types.length)
    for (const t of types) expect(t).toMatch(/^[a-z]+(_[a-z]+)*$/)
  })

  it("retryAfterOf reads the wait where an error carries one", () => {
    expect(retryAfterOf(samples.LlmRateLimited)).toBe(2_000)
    expect(retryAfterOf(new LlmRateLimited({ provider, message }))).toBeUndefined()
    expect(retryAfterOf(new LlmOverloaded({ provider, message, retryAfterMs: 1_500 }))).toBe(1_500)
    expect(retryAfterOf(samples.LlmUnavailable)).toBe(5_000)
    expect(retryAfterOf(samples.LlmServerError)).toBeUndefined()
  })

  it("errors are Errors with their message, fields and cause", () => {
    const e = samples.LlmConnectionFailed
    expect(e).toBeInstanceOf(Error)
    expect(e.message).toBe(message)
    expect(e.provider).toBe("openai")
    expect(e.cause).toBeInstanceOf(Error)
    expect(new LlmTimeout({ provider, message, phase: "idle" }).phase).toBe("idle")
  })

  it("isLlmError rejects other values", () => {
    expect(isLlmError(new Error("x"))).toBe(false)
    expect(isLlmError({ _tag: "DatabaseUnavailable" })).toBe(false)
    expect(isLlmError(null)).toBe(false)
    expect(isLlmError({ _tag: "LlmTimeout" })).toBe(true)
  })
})
