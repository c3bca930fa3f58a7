import { HttpApp, HttpServerResponse } from "@effect/platform"
import { Effect, Predicate } from "effect"

/** A wait in milliseconds as `Retry-After` seconds: rounded up, and at least 1 (0 would invite a retry at once). */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))

/**
 * Sends `Retry-After` with a 503 `ServiceUnavailable` that knows when to come back
 * (`retryAfterSeconds`). The platform writes the error envelope after the handler failed; a
 * pre-response handler is how a handler adds a header to it (as rate limiting does, see
 * RateLimit/Enforce.ts).
 */
export const withRetryAfter = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.tapError(effect, (error) => {
    if (!Predicate.isTagged(error, "ServiceUnavailable")) return Effect.void
    const seconds = (error as { readonly retryAfterSeconds?: number | undefined }).retryAfterSeconds
    if (seconds === undefined) return Effect.void
    return HttpApp.appendPreResponseHandler((_, response) =>
      Effect.succeed(HttpServerResponse.setHeader(response, "retry-after", String(seconds)))
    )
  })
