import type { CoachingEvent } from "@compilar/domain"
import { Duration, Schedule, Stream } from "effect"

/**
 * Server-Sent Events framing (WHATWG HTML §9.2). Data is one line of JSON, so no event needs
 * multi-line `data:` fields; `id` lets a client resume with `Last-Event-ID`.
 */
export const frame = (id: string | undefined, event: CoachingEvent): string => {
  const { _tag, ...data } = event
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${_tag}\ndata: ${JSON.stringify(data)}\n\n`
}

/** A comment line: keeps proxies and the browser from timing the connection out; EventSource ignores it. */
export const heartbeatFrame = ": heartbeat\n\n"

/** How long a browser waits before reconnecting (ms), sent once at the start. */
export const retryFrame = (ms: number): string => `retry: ${ms}\n\n`

/** The frames, with a heartbeat every `every` between them; the heartbeats stop with the frames. */
export const withHeartbeats = <E, R>(frames: Stream.Stream<string, E, R>, every: Duration.DurationInput) =>
  Stream.merge(frames, Stream.schedule(Stream.repeatValue(heartbeatFrame), Schedule.spaced(every)), {
    haltStrategy: "left"
  })
