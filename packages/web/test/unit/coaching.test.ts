import { ChunkId, CoachingSource } from "@compilar/domain"
import { describe, expect, it } from "vitest"
import {
  applyCoachingEvent,
  blocksOf,
  type CoachingState,
  decodeCoachingEvent,
  initialCoaching,
  inlineOf
} from "../../src/features/assess/coaching.js"
import { failureOf } from "../../src/features/assess/coachingStream.js"

const source = (n: number) =>
  new CoachingSource({
    n,
    chunkId: ChunkId.make(`force:divsexp.source-${n}`),
    title: `Source ${n}`,
    pillar: "divsexp",
    mode: "egalitarian",
    category: "force"
  })

const sse = (type: string, data: unknown) => ({ _tag: "event" as const, type, data: JSON.stringify(data), lastEventId: "" })

const known = (n: number) => n >= 1 && n <= 3

describe("coaching events", () => {
  it("decodes the wire events (event name = tag, data = the rest) and rejects anything else", () => {
    expect(decodeCoachingEvent(sse("delta", { text: "Hi" }))).toEqual({ _tag: "delta", text: "Hi" })
    expect(decodeCoachingEvent(sse("error", { code: "llm_unavailable", message: "Down", retryable: true }))).toEqual({
      _tag: "error",
      code: "llm_unavailable",
      message: "Down",
      retryable: true
    })
    expect(decodeCoachingEvent(sse("sources", { sources: [{ ...source(1) }] }))?._tag).toBe("sources")
    expect(decodeCoachingEvent(sse("delta", { text: 3 }))).toBeUndefined()
    expect(decodeCoachingEvent(sse("unknown", { text: "x" }))).toBeUndefined()
    expect(decodeCoachingEvent({ _tag: "event", type: "delta", data: "not json", lastEventId: "" })).toBeUndefined()
    // The tag comes from the event name, never from the data.
    expect(decodeCoachingEvent(sse("delta", { _tag: "done", text: "x" }))).toEqual({ _tag: "delta", text: "x" })
  })

  it("folds sources, deltas and done into the text and its state", () => {
    const events = [
      { _tag: "sources" as const, sources: [source(1)] },
      { _tag: "delta" as const, text: "Your score " },
      { _tag: "delta" as const, text: "is 62 [1]." },
      { _tag: "done" as const, citations: [ChunkId.make("force:divsexp.source-1")], provider: "offline" }
    ]
    const state = events.reduce<CoachingState>(applyCoachingEvent, initialCoaching)
    expect(state.phase).toBe("done")
    expect(state.text).toBe("Your score is 62 [1].")
    expect(state.sources).toHaveLength(1)
    expect(state.provider).toBe("offline")
  })

  it("restart clears the text and sources; error keeps the text and says why", () => {
    const written = applyCoachingEvent(applyCoachingEvent(initialCoaching, { _tag: "sources", sources: [source(1)] }), {
      _tag: "delta",
      text: "Half a sent"
    })
    const restarted = applyCoachingEvent(written, { _tag: "restart", reason: "generation gone" })
    expect(restarted.text).toBe("")
    expect(restarted.sources).toEqual([])
    expect(restarted.phase).toBe("streaming")
    const failed = applyCoachingEvent(written, { _tag: "error", code: "llm_timeout", message: "Too slow", retryable: true })
    expect(failed.phase).toBe("error")
    expect(failed.text).toBe("Half a sent")
    expect(failed.failure).toEqual({ code: "llm_timeout", message: "Too slow", retryable: true })
    const unavailable = applyCoachingEvent(written, {
      _tag: "error",
      code: "llm_unavailable",
      message: "Try again in 30 seconds.",
      retryable: true,
      retryAfterSeconds: 30
    })
    expect(unavailable.failure?.retryAfterSeconds).toBe(30)
  })

  it("turns a refused stream into the same kind of failure", () => {
    expect(failureOf({ _tag: "failed", status: 409, body: { error: { code: "results_not_ready", message: "Finish first." } } }))
      .toEqual({ code: "results_not_ready", message: "Finish first.", retryable: false })
    expect(failureOf({ _tag: "failed", status: 503, body: "<html>" }).retryable).toBe(true)
    expect(failureOf({ _tag: "failed", status: undefined, body: undefined }).code).toBe("network")
    // The refusal's Retry-After, in whole seconds rounded up.
    expect(failureOf({ _tag: "failed", status: 429, body: undefined, retryAfterMs: 4500 }).retryAfterSeconds).toBe(5)
    expect(failureOf({ _tag: "failed", status: 429, body: undefined }).retryAfterSeconds).toBeUndefined()
  })
})

describe("coaching text", () => {
  it("picks out citations of known sources, including lists like [1, 2], and bold", () => {
    expect(inlineOf("Keep it [1]. Try **one thing** [2, 3].", known)).toEqual([
      { _tag: "text", text: "Keep it " },
      { _tag: "cite", n: 1 },
      { _tag: "text", text: ". Try " },
      { _tag: "strong", text: "one thing" },
      { _tag: "text", text: " " },
      { _tag: "cite", n: 2 },
      { _tag: "cite", n: 3 },
      { _tag: "text", text: "." }
    ])
  })

  it("leaves unknown numbers, unfinished citations and markup as plain text", () => {
    expect(inlineOf("Invented [9]. Streaming [1", known)).toEqual([{ _tag: "text", text: "Invented [9]. Streaming [1" }])
    expect(inlineOf("<img src=x onerror=alert(1)> **", known)).toEqual([
      { _tag: "text", text: "<img src=x onerror=alert(1)> **" }
    ])
  })

  it("splits paragraphs on blank lines (LF or CRLF) and recognises headings and lists", () => {
    const text = "## What it means\r\n\r\nFirst paragraph\ncontinues [1].\n\n- one\n- two [2]\n1. first\n2) second\n\nLast."
    expect(blocksOf(text, known)).toEqual([
      { _tag: "heading", inline: [{ _tag: "text", text: "What it means" }] },
      { _tag: "paragraph", inline: [{ _tag: "text", text: "First paragraph continues " }, { _tag: "cite", n: 1 }, { _tag: "text", text: "." }] },
      { _tag: "list", ordered: false, items: [[{ _tag: "text", text: "one" }], [{ _tag: "text", text: "two " }, { _tag: "cite", n: 2 }]] },
      { _tag: "list", ordered: true, items: [[{ _tag: "text", text: "first" }], [{ _tag: "text", text: "second" }]] },
      { _tag: "paragraph", inline: [{ _tag: "text", text: "Last." }] }
    ])
  })

  it("shows nothing for empty text", () => {
    expect(blocksOf("", known)).toEqual([])
    expect(blocksOf("\n\n  \n", known)).toEqual([])
  })
})
