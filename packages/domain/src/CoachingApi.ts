import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Authentication } from "./AuthApi.js"
import { Wire } from "./Errors.js"
import { AiRateLimit } from "./RateLimits.js"

const id = HttpApiSchema.param("id", Schema.String)

/** The body of a coaching answer: Server-Sent Events (see `coaching/Events.ts`). */
export const CoachingStream = Schema.String.pipe(
  HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/event-stream" })
).annotations({ identifier: "CoachingStream" })

export const CoachingHeaders = Schema.Struct({
  /** The last event id the client received, to resume after it. */
  "last-event-id": Schema.optional(Schema.String)
})

/**
 * Coaching for a completed assessment, streamed as it is written. The first request starts the
 * model; everyone else asking meanwhile (a second tab, a reconnect) follows the same run; once
 * finished it is stored and later requests replay it instead of generating again.
 */
export class CoachingApi extends HttpApiGroup.make("coaching")
  .add(
    HttpApiEndpoint.get("stream")`/api/v1/assessments/${id}/coaching`
      .setHeaders(CoachingHeaders)
      .addSuccess(CoachingStream)
      // Declared before Authentication (appended to every endpoint below), so it runs after it: per learner.
      .middleware(AiRateLimit)
      .addError(Wire.NotFound)
      .addError(Wire.ResultsNotReady)
      .annotate(
        OpenApi.Description,
        "Server-Sent Events: `sources` (the passages cited as [n]), `delta`s of text, then `done` (with the cited chunk ids) " +
          "or `error` (code, message, retryable, and retryAfterSeconds when known). A comment line every few seconds " +
          "keeps the connection alive. Send `Last-Event-ID` to resume after an event; when that run is gone, `restart` comes first and the text starts over."
      )
  )
  .middlewareEndpoints(Authentication)
  .annotate(OpenApi.Title, "Coaching")
{}
