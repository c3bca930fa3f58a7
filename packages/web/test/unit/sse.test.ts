import { describe, expect, it } from "vitest"
import { createSseDecoder, createSseParser, type SseItem } from "../../src/lib/sse.js"

/** Feeds `text` cut at the given offsets and collects everything parsed. */
const parseIn = (text: string, cuts: ReadonlyArray<number>, initialId = ""): Array<SseItem> => {
  const parser = createSseParser(initialId)
  const out: Array<SseItem> = []
  let at = 0
  for (const cut of [...cuts, text.length]) {
    out.push(...parser.push(text.slice(at, cut)))
    at = cut
  }
  return out
}

const events = (items: ReadonlyArray<SseItem>) => items.filter((i) => i._tag === "event")

const stream = [
  "retry: 2500\n",
  ": heartbeat\n",
  "\n",
  "id: g1:1\n",
  "event: sources\n",
  'data: {"sources":[]}\n',
  "\n",
  "id: g1:2\n",
  "event: delta\n",
  'data: {"text":"Héllo — 👋"}\n',
  "\n",
  "id: g1:3\n",
  "event: done\n",
  'data: {"citations":[],"provider":"offline"}\n',
  "\n"
].join("")

const expected: Array<SseItem> = [
  { _tag: "retry", ms: 2500 },
  { _tag: "comment", text: "heartbeat" },
  { _tag: "event", type: "sources", data: '{"sources":[]}', lastEventId: "g1:1" },
  { _tag: "event", type: "delta", data: '{"text":"Héllo — 👋"}', lastEventId: "g1:2" },
  { _tag: "event", type: "done", data: '{"citations":[],"provider":"offline"}', lastEventId: "g1:3" }
]

describe("SSE parser", () => {
  it("parses events, ids, retry and comments", () => {
    expect(parseIn(stream, [])).toEqual(expected)
  })

  it("gives the same result however the text is cut (every single cut, and one character at a time)", () => {
    for (let cut = 0; cut <= stream.length; cut++) expect(parseIn(stream, [cut])).toEqual(expected)
    expect(parseIn(stream, Array.from({ length: stream.length }, (_, i) => i))).toEqual(expected)
  })

  it("accepts CRLF and lone CR line endings, including a CRLF cut between CR and LF", () => {
    const crlf = stream.replaceAll("\n", "\r\n")
    expect(parseIn(crlf, [])).toEqual(expected)
    for (let cut = 0; cut <= crlf.length; cut++) expect(parseIn(crlf, [cut])).toEqual(expected)
    expect(parseIn(stream.replaceAll("\n", "\r"), [])).toEqual(expected)
    // A CR ending one piece and an empty piece in between must not swallow a later LF.
    const parser = createSseParser()
    expect(parser.push("data: a\r")).toEqual([])
    expect(parser.push("")).toEqual([])
    expect(parser.push("\n")).toEqual([])
    expect(parser.push("\n")).toEqual([{ _tag: "event", type: "message", data: "a", lastEventId: "" }])
  })

  it("joins multi-line data with newlines and defaults the type to message", () => {
    expect(events(parseIn("data: first\ndata:second\ndata\ndata:  indented\n\n", [7, 20]))).toEqual([
      { _tag: "event", type: "message", data: "first\nsecond\n\n indented", lastEventId: "" }
    ])
  })

  it("dispatches nothing for a block without data, but still takes its id", () => {
    const parser = createSseParser()
    expect(parser.push("id: g2:7\nevent: delta\n\n")).toEqual([])
    expect(parser.lastEventId()).toBe("g2:7")
    expect(parser.push("data: x\n\n")).toEqual([{ _tag: "event", type: "message", data: "x", lastEventId: "g2:7" }])
  })

  it("keeps the last event id across events without one, starts from the id it resumes after, and ignores ids with NULL", () => {
    const items = parseIn("data: a\n\nid: g1:5\ndata: b\n\ndata: c\n\nid: bad\u0000\ndata: d\n\n", [], "g1:4")
    expect(events(items).map((e) => e._tag === "event" && e.lastEventId)).toEqual(["g1:4", "g1:5", "g1:5", "g1:5"])
  })

  it("an empty id resets the last event id", () => {
    const parser = createSseParser("g1:9")
    parser.push("id\ndata: x\n\n")
    expect(parser.lastEventId()).toBe("")
  })

  it("reports retry only for digits, and ignores unknown fields", () => {
    expect(parseIn("retry: 10s\nretry: 300\nfoo: bar\ndata: x\n\n", [])).toEqual([
      { _tag: "retry", ms: 300 },
      { _tag: "event", type: "message", data: "x", lastEventId: "" }
    ])
  })

  it("drops an unfinished event at the end and a byte order mark at the start", () => {
    expect(parseIn("\uFEFFdata: a\n\ndata: unfinished\n", [])).toEqual([
      { _tag: "event", type: "message", data: "a", lastEventId: "" }
    ])
  })

  it("decodes UTF-8 split inside a character when fed bytes", () => {
    const bytes = new TextEncoder().encode('data: {"text":"👋 — é"}\n\n')
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = createSseDecoder()
      const items = [...decoder.push(bytes.slice(0, cut)), ...decoder.push(bytes.slice(cut))]
      expect(items).toEqual([{ _tag: "event", type: "message", data: '{"text":"👋 — é"}', lastEventId: "" }])
    }
  })
})
