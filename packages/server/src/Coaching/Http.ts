import { Api, CurrentUser, NotFound } from "@compilar/domain"
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Effect, Schema, Stream } from "effect"
import { Coaching } from "../Coaching.js"

const isUuid = Schema.is(Schema.UUID)
const encoder = new TextEncoder()

export const CoachingHttpLive = HttpApiBuilder.group(Api, "coaching", (handlers) =>
  Effect.gen(function*() {
    const coaching = yield* Coaching
    return handlers.handle("stream", ({ headers, path }) =>
      Effect.gen(function*() {
        const user = yield* CurrentUser
        // A malformed id names nothing of the learner's: not found, like someone else's.
        if (!isUuid(path.id)) return yield* new NotFound({ message: "No such assessment." })
        const frames = yield* coaching.follow(user.id, path.id, headers["last-event-id"])
        return HttpServerResponse.stream(Stream.map(frames, (text) => encoder.encode(text)), {
          contentType: "text/event-stream; charset=utf-8",
          headers: {
            "cache-control": "no-cache, no-transform",
            // Tells nginx-style proxies not to buffer the stream.
            "x-accel-buffering": "no"
          }
        })
      }))
  }))
