import { Schema } from "effect"
import { ChunkId } from "../Ids.js"
import { KnowledgeCategory } from "../knowledge/Schema.js"
import { ModeId, PillarId } from "../pilar/Schema.js"

/**
 * The events of a coaching stream (Server-Sent Events). Each has an `id` of the form
 * `<generation>:<sequence>`: a reconnecting client sends the last one back as `Last-Event-ID`
 * and receives what follows. A generation is one run of the model; when the run a client was
 * following no longer exists (it was cancelled after everyone left), the server sends `restart`
 * and the current generation from its beginning, and the client drops what it had shown.
 */

/** A passage the coaching may cite; the text refers to it as `[n]`. */
export class CoachingSource extends Schema.Class<CoachingSource>("CoachingSource")({
  n: Schema.Int.pipe(Schema.positive()),
  chunkId: ChunkId,
  title: Schema.String,
  pillar: Schema.NullOr(PillarId),
  mode: Schema.NullOr(ModeId),
  category: KnowledgeCategory
}) {}

/** First event: the passages the coaching is grounded in. */
export const SourcesEvent = Schema.TaggedStruct("sources", {
  sources: Schema.Array(CoachingSource)
})

/** The next piece of text, as the model writes it. */
export const DeltaEvent = Schema.TaggedStruct("delta", {
  text: Schema.String
})

/** The end: which sources the text actually cited (in order of first citation), and which provider wrote it. */
export const DoneEvent = Schema.TaggedStruct("done", {
  citations: Schema.Array(ChunkId),
  provider: Schema.String
})

/**
 * The end, when the coaching could not be written; `retryable` says whether asking again may
 * help, and `retryAfterSeconds`, when the server knows, how soon (every AI provider unavailable
 * until the first one lets a call through again).
 */
export const ErrorEvent = Schema.TaggedStruct("error", {
  code: Schema.String,
  message: Schema.String,
  retryable: Schema.Boolean,
  retryAfterSeconds: Schema.optional(Schema.Int)
})

/** The generation the client was following is gone: forget the text shown so far. */
export const RestartEvent = Schema.TaggedStruct("restart", {
  reason: Schema.String
})

export const CoachingEvent = Schema.Union(SourcesEvent, DeltaEvent, DoneEvent, ErrorEvent, RestartEvent)
export type CoachingEvent = typeof CoachingEvent.Type

/** `event:` names on the wire: the `_tag`s. */
export type CoachingEventName = CoachingEvent["_tag"]

export const isTerminal = (event: CoachingEvent): boolean => event._tag === "done" || event._tag === "error"

/** Event ids: `<generation>:<sequence>`, sequence from 1. */
export const eventId = (generation: string, sequence: number): string => `${generation}:${sequence}`

export const parseEventId = (
  raw: string | undefined
): { readonly generation: string; readonly sequence: number } | undefined => {
  const match = raw === undefined ? null : /^([a-z0-9]{1,32}):(\d{1,9})$/.exec(raw.trim())
  return match === null ? undefined : { generation: match[1]!, sequence: Number(match[2]) }
}
