import { type ChunkId, CoachingEvent, type CoachingSource } from "@compilar/domain"
import { Either, Schema } from "effect"
import type { SseEvent } from "../../lib/sse.js"

/**
 * The coaching stream as the results page shows it: the events folded into one state, and the
 * text cut into blocks and inline pieces (paragraphs, headings, lists, bold, `[n]` citations)
 * that the page renders as elements, never as HTML. Pure, so both are unit-tested.
 */

export type CoachingPhase = "connecting" | "streaming" | "reconnecting" | "done" | "error"

export interface CoachingFailure {
  readonly code: string
  readonly message: string
  readonly retryable: boolean
  /** How long asking again is sure to fail, when the server said (every AI provider unavailable, a rate limit). */
  readonly retryAfterSeconds?: number | undefined
}

export interface CoachingState {
  readonly phase: CoachingPhase
  readonly sources: ReadonlyArray<CoachingSource>
  readonly text: string
  /** The chunks the finished text cites, in order of first citation (from `done`). */
  readonly citations: ReadonlyArray<ChunkId>
  readonly provider: string | undefined
  readonly failure: CoachingFailure | undefined
}

export const initialCoaching: CoachingState = {
  phase: "connecting",
  sources: [],
  text: "",
  citations: [],
  provider: undefined,
  failure: undefined
}

const decodeEvent = Schema.decodeUnknownEither(CoachingEvent)

/** An SSE event as a coaching event: `event:` is the tag, `data:` the JSON of the rest. Undefined for anything else. */
export const decodeCoachingEvent = (event: SseEvent): CoachingEvent | undefined => {
  let data: unknown
  try {
    data = JSON.parse(event.data)
  } catch {
    return undefined
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined
  return Either.getOrUndefined(decodeEvent({ ...data, _tag: event.type }))
}

export const applyCoachingEvent = (state: CoachingState, event: CoachingEvent): CoachingState => {
  switch (event._tag) {
    case "sources":
      return { ...state, phase: "streaming", sources: event.sources }
    case "delta":
      return { ...state, phase: "streaming", text: state.text + event.text }
    case "done":
      return { ...state, phase: "done", citations: event.citations, provider: event.provider, failure: undefined }
    case "error":
      return {
        ...state,
        phase: "error",
        failure: {
          code: event.code,
          message: event.message,
          retryable: event.retryable,
          retryAfterSeconds: event.retryAfterSeconds
        }
      }
    case "restart":
      // The run being followed is gone; the current one follows from its beginning.
      return { ...initialCoaching, phase: "streaming" }
  }
}

// ── Text ─────────────────────────────────────────────────────────────────────

export type Inline =
  | { readonly _tag: "text"; readonly text: string }
  | { readonly _tag: "strong"; readonly text: string }
  /** `[n]`: the n-th source (as numbered by the `sources` event). */
  | { readonly _tag: "cite"; readonly n: number }

export type Block =
  | { readonly _tag: "paragraph"; readonly inline: ReadonlyArray<Inline> }
  | { readonly _tag: "heading"; readonly inline: ReadonlyArray<Inline> }
  | { readonly _tag: "list"; readonly ordered: boolean; readonly items: ReadonlyArray<ReadonlyArray<Inline>> }

/** `[1]`, `[2, 3]`, and `**bold**`; anything else is text (an unfinished `[1` or `**` too, while streaming). */
const inlinePattern = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]|\*\*([^*\n]+)\*\*/g

/**
 * Text with citations and bold picked out. A citation to a number with no source stays text:
 * a model that invents a source does not get a link to nowhere.
 */
export const inlineOf = (text: string, known: (n: number) => boolean): ReadonlyArray<Inline> => {
  const out: Array<Inline> = []
  const pushText = (t: string) => {
    if (t === "") return
    const last = out[out.length - 1]
    if (last?._tag === "text") out[out.length - 1] = { _tag: "text", text: last.text + t }
    else out.push({ _tag: "text", text: t })
  }
  let at = 0
  for (const match of text.matchAll(inlinePattern)) {
    const index = match.index ?? 0
    pushText(text.slice(at, index))
    at = index + match[0].length
    if (match[2] !== undefined) {
      out.push({ _tag: "strong", text: match[2] })
      continue
    }
    const numbers = (match[1] ?? "").split(",").map((s) => Number(s.trim()))
    if (numbers.every(known)) for (const n of numbers) out.push({ _tag: "cite", n })
    else pushText(match[0])
  }
  pushText(text.slice(at))
  return out
}

const bullet = /^\s*[-*•]\s+/
const numbered = /^\s*\d{1,2}[.)]\s+/
const heading = /^\s*#{1,6}\s+/

/** The text as blocks: blank lines part paragraphs; `#` lines are headings; `-`/`1.` lines make lists. */
export const blocksOf = (text: string, known: (n: number) => boolean): ReadonlyArray<Block> => {
  const blocks: Array<Block> = []
  for (const part of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = part.split("\n").filter((line) => line.trim() !== "")
    let paragraph: Array<string> = []
    let list: { ordered: boolean; items: Array<ReadonlyArray<Inline>> } | undefined
    const endParagraph = () => {
      if (paragraph.length > 0) blocks.push({ _tag: "paragraph", inline: inlineOf(paragraph.join(" "), known) })
      paragraph = []
    }
    const endList = () => {
      if (list !== undefined) blocks.push({ _tag: "list", ordered: list.ordered, items: list.items })
      list = undefined
    }
    for (const line of lines) {
      if (heading.test(line)) {
        endParagraph()
        endList()
        blocks.push({ _tag: "heading", inline: inlineOf(line.replace(heading, "").trim(), known) })
        continue
      }
      const ordered = numbered.test(line)
      if (ordered || bullet.test(line)) {
        endParagraph()
        if (list !== undefined && list.ordered !== ordered) endList()
        list ??= { ordered, items: [] }
        list.items.push(inlineOf(line.replace(ordered ? numbered : bullet, "").trim(), known))
        continue
      }
      endList()
      paragraph.push(line.trim())
    }
    endParagraph()
    endList()
  }
  return blocks
}
