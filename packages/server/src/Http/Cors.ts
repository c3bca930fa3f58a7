/**
 * CORS against an allow-list, as plain header computation so the edge can apply it in the
 * same pre-response step as the security headers. Unlike the platform's `cors()` defaults,
 * an empty list allows no cross-origin caller at all (never `*`), and the credential and
 * expose headers are sent only to an allowed origin.
 */
export const corsAllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
export const corsAllowedHeaders = ["authorization", "content-type", "idempotency-key", "last-event-id", "x-request-id"]
export const corsExposedHeaders = [
  "x-request-id",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-policy"
]
const maxAgeSeconds = 600

export interface Cors {
  /** Headers for an actual request from `origin`, or undefined when it is not allowed. */
  readonly response: (origin: string | undefined) => Record<string, string> | undefined
  /** Headers for a preflight from `origin`, or undefined when it is not allowed. */
  readonly preflight: (origin: string | undefined) => Record<string, string> | undefined
}

export const makeCors = (allowedOrigins: ReadonlyArray<string>): Cors => {
  const allowed = new Set(allowedOrigins)
  const isAllowed = (origin: string | undefined): origin is string => origin !== undefined && allowed.has(origin)
  const exposed = corsExposedHeaders.join(", ")
  const methods = corsAllowedMethods.join(", ")
  const headers = corsAllowedHeaders.join(", ")
  return {
    response: (origin) =>
      isAllowed(origin)
        ? {
          "access-control-allow-origin": origin,
          "access-control-allow-credentials": "true",
          "access-control-expose-headers": exposed,
          vary: "Origin"
        }
        : undefined,
    preflight: (origin) =>
      isAllowed(origin)
        ? {
          "access-control-allow-origin": origin,
          "access-control-allow-credentials": "true",
          "access-control-allow-methods": methods,
          "access-control-allow-headers": headers,
          "access-control-max-age": String(maxAgeSeconds),
          vary: "Origin"
        }
        : undefined
  }
}
