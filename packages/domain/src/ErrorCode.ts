import { Schema } from "effect"

/**
 * The closed set of error codes that any failure of the API carries.
 * One row per code: the HTTP status it travels with and what it means.
 * The README's error table and the OpenAPI document are generated from here.
 */
export const errorCatalog = {
  validation_failed: { status: 400, meaning: "The request did not match the expected shape; `details` names each field and why." },
  malformed_json: { status: 400, meaning: "The request body is not valid JSON." },
  unauthorized: { status: 401, meaning: "Missing, invalid or expired credentials." },
  invalid_credentials: { status: 401, meaning: "Sign-in failed: the email or the password is wrong (never says which)." },
  token_expired: { status: 401, meaning: "The access token has expired: get a new one from `POST /api/v1/auth/refresh`." },
  refresh_reused: { status: 401, meaning: "A refresh token was presented after it had been replaced: that session was revoked; sign in again." },
  forbidden: { status: 403, meaning: "Authenticated, but not allowed to perform this operation." },
  not_found: { status: 404, meaning: "The resource does not exist, or is not yours." },
  unknown_question: { status: 404, meaning: "The assessment's quiz has no question with this id; `details` names the field." },
  route_not_found: { status: 404, meaning: "No route matches this method and path." },
  conflict: { status: 409, meaning: "The request conflicts with the current state of the resource." },
  email_taken: { status: 409, meaning: "An account with this email already exists (emails are compared case-insensitively)." },
  questions_not_ready: { status: 409, meaning: "The assessment has no quiz yet: generate it with `POST /api/v1/assessments/{id}/questions` first." },
  assessment_completed: { status: 409, meaning: "The assessment is completed: its answers can no longer change." },
  answers_incomplete: { status: 409, meaning: "Some questions have no answer yet; `details` lists each missing question id." },
  results_not_ready: { status: 409, meaning: "Results exist once the assessment is completed (`POST /api/v1/assessments/{id}/complete`)." },
  length_required: { status: 411, meaning: "A request body must declare its size with `Content-Length` (no chunked uploads)." },
  payload_too_large: { status: 413, meaning: "The request body exceeds the configured size limit." },
  unsupported_media_type: { status: 415, meaning: "The request body must be `application/json`." },
  idempotency_key_reused: { status: 422, meaning: "This `Idempotency-Key` was already used with a different request; use a new key for a new request." },
  rate_limited: { status: 429, meaning: "Too many requests; retry after the number of seconds in `Retry-After`." },
  internal_error: { status: 500, meaning: "An unexpected failure on our side; the request id identifies it in the logs." },
  service_unavailable: { status: 503, meaning: "A dependency the request needs is unavailable; retry later." }
} as const satisfies Record<string, { readonly status: number; readonly meaning: string }>

export type ErrorCode = keyof typeof errorCatalog

export const errorCodes = Object.keys(errorCatalog) as ReadonlyArray<ErrorCode>

export const ErrorCode = Schema.Literal(...(errorCodes as [ErrorCode, ...Array<ErrorCode>])).annotations({
  identifier: "ErrorCode",
  description: "Stable, machine-readable error code. See the README for the full table."
})

export const statusOf = (code: ErrorCode): number => errorCatalog[code].status
