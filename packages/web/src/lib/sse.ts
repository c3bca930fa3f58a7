/**
 * An incremental parser of the Server-Sent Events wire format (WHATWG HTML, "Parsing an event
 * stream"), for streams read with `fetch` (EventSource cannot send an `Authorization` header).
 * Text is pushed as it arrives, cut anywhere: in the middle of a line, between the CR and LF of
 * a CRLF, or inside a multi-byte character (when fed bytes through `createSseDecoder`).
 *
 * What it reports, in order:
 * - `event`: a dispatched event, with its type (`message` when none was named), its data (the
 *   `data:` lines joined by "\n") and the last event id at that point (what to send back as
 *   `Last-Event-ID` when reconnecting after it);
 * - `retry`: the server's reconnection delay in milliseconds;
 * - `comment`: a `:` line, e.g. a heartbeat, so a client can tell the connection is alive.
 */

export interface SseEvent {
  readonly _tag: "event"
  readonly type: string
  readonly data: string
  /** The last event id, as of this event (kept from earlier events when this one named none). */
  readonly lastEventId: string
}

export interface SseRetry {
  readonly _tag: "retry"
  readonly ms: number
}

export interface SseComment {
  readonly _tag: "comment"
  readonly text: string
}

export type SseItem = SseEvent | SseRetry | SseComment

export interface SseParser {
  /** Parses the next piece of text; returns what it completed (nothing until a line ends). */
  readonly push: (text: string) => ReadonlyArray<SseItem>
  /** The id to send as `Last-Event-ID`: set by `id:` fields, even on events with no data. */
  readonly lastEventId: () => string
}

/** `initialLastEventId`: what a reconnecting client already had, kept until the stream names another. */
export const createSseParser = (initialLastEventId = ""): SseParser => {
  let pending = ""
  /** The previous piece ended with CR: a LF starting this one belongs to the same line ending. */
  let skipLeadingLf = false
  let atStart = true
  let data = ""
  let hasData = false
  let eventType = ""
  let idBuffer = initialLastEventId
  let lastEventId = initialLastEventId

  const dispatch = (out: Array<SseItem>) => {
    lastEventId = idBuffer
    if (hasData) out.push({ _tag: "event", type: eventType === "" ? "message" : eventType, data, lastEventId })
    data = ""
    hasData = false
    eventType = ""
  }

  const field = (name: string, value: string, out: Array<SseItem>) => {
    switch (name) {
      case "event":
        eventType = value
        return
      case "data":
        data = hasData ? `${data}\n${value}` : value
        hasData = true
        return
      case "id":
        // An id containing NULL is ignored, per the standard.
        if (!value.includes("\u0000")) idBuffer = value
        return
      case "retry":
        if (/^\d+$/.test(value)) out.push({ _tag: "retry", ms: Number(value) })
        return
      default:
        // Unknown fields are ignored.
        return
    }
  }

  const line = (text: string, out: Array<SseItem>) => {
    if (text === "") return dispatch(out)
    if (text.startsWith(":")) {
      out.push({ _tag: "comment", text: text.slice(1).replace(/^ /, "") })
      return
    }
    const colon = text.indexOf(":")
    if (colon < 0) return field(text, "", out)
    const value = text.slice(colon + 1)
    field(text.slice(0, colon), value.startsWith(" ") ? value.slice(1) : value, out)
  }

  const push = (text: string): ReadonlyArray<SseItem> => {
    const out: Array<SseItem> = []
    let chunk = text
    if (skipLeadingLf && chunk.startsWith("\n")) chunk = chunk.slice(1)
    if (text.length > 0) skipLeadingLf = false
    if (atStart && chunk.length > 0) {
      // A byte order mark may open the stream, and only there.
      if (chunk.startsWith("\uFEFF")) chunk = chunk.slice(1)
      atStart = false
    }
    pending += chunk
    let start = 0
    for (let i = 0; i < pending.length; i++) {
      const c = pending[i]
      if (c !== "\n" && c !== "\r") continue
      line(pending.slice(start, i), out)
      if (c === "\r") {
        if (i + 1 === pending.length) skipLeadingLf = true
        else if (pending[i + 1] === "\n") i++
      }
      start = i + 1
    }
    pending = pending.slice(start)
    return out
  }

  return { push, lastEventId: () => lastEventId }
}

/** Feeds bytes: decodes UTF-8 across chunk boundaries, then parses. */
export const createSseDecoder = (initialLastEventId = "") => {
  const parser = createSseParser(initialLastEventId)
  const decoder = new TextDecoder("utf-8")
  return {
    push: (bytes: Uint8Array): ReadonlyArray<SseItem> => parser.push(decoder.decode(bytes, { stream: true })),
    lastEventId: parser.lastEventId
  }
}
