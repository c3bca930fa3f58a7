import { describe, expect, it } from "vitest"
import { followEventStream, type StreamState } from "../../src/lib/eventStream.js"
import type { SseEvent } from "../../src/lib/sse.js"

/**
 * The fetch-based SSE follower against a scripted `fetch`: each call answers with the next
 * script entry (a body cut into pieces, optionally failing after them, or a status).
 */
type Script =
  | { readonly body: ReadonlyArray<string>; readonly failAfter?: boolean }
  | { readonly status: number; readonly json?: unknown; readonly headers?: Record<string, string> }
  | { readonly networkError: true }

interface Call {
  readonly headers: Record<string, string>
}

const scripted = (script: ReadonlyArray<Script>) => {
  const calls: Array<Call> = []
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    calls.push({ headers: { ...(init?.headers as Record<string, string>) } })
    const next = script[calls.length - 1]
    if (next === undefined) throw new Error("unscripted call")
    if ("networkError" in next) throw new TypeError("Failed to fetch")
    if ("status" in next) {
      return new Response(next.json === undefined ? "" : JSON.stringify(next.json), {
        status: next.status,
        headers: { "content-type": "application/json", ...next.headers }
      })
    }
    const encoder = new TextEncoder()
    let i = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const piece = next.body[i++]
        if (piece !== undefined) controller.enqueue(encoder.encode(piece))
        else if (next.failAfter) controller.error(new TypeError("network error"))
        else controller.close()
      }
    })
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } })
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

const sleeps: Array<number> = []
/** The state last reported when each wait began. */
const waitingIn: Array<StreamState | undefined> = []

const run = (script: ReadonlyArray<Script>, extra: Partial<Parameters<typeof followEventStream>[0]> = {}) => {
  const { fetch, calls } = scripted(script)
  const seen: Array<SseEvent> = []
  const states: Array<StreamState> = []
  sleeps.length = 0
  waitingIn.length = 0
  const done = followEventStream({
    url: "http://test/coaching",
    signal: new AbortController().signal,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms)
      waitingIn.push(states.at(-1))
    },
    onEvent: (event) => {
      seen.push(event)
      return event.type === "done" || event.type === "error"
    },
    onState: (s) => states.push(s),
    ...extra
  })
  return { done, calls, seen, states }
}

describe("followEventStream", () => {
  it("reads events until the last one, sending Accept and the headers", async () => {
    const { done, calls, seen, states } = run(
      [{ body: ["id: a:1\nevent: delta\ndata: {\"text\":\"Hi\"}\n\n", "id: a:2\nevent: done\ndata: {}\n\n", "data: never\n\n"] }],
      { headers: () => ({ authorization: "Bearer t1" }) }
    )
    expect(await done).toEqual({ _tag: "finished" })
    expect(seen.map((e) => e.type)).toEqual(["delta", "done"])
    expect(calls[0]!.headers).toMatchObject({ accept: "text/event-stream", authorization: "Bearer t1" })
    expect(calls[0]!.headers["last-event-id"]).toBeUndefined()
    expect(states).toEqual(["connecting", "open"])
  })

  it("reconnects after a dropped connection with Last-Event-ID and the server's retry delay", async () => {
    const { done, calls, seen, states } = run([
      { body: ["retry: 1500\n\nid: a:1\nevent: delta\ndata: 1\n\n", "id: a:2\nevent: del"], failAfter: true },
      { body: ["id: a:2\nevent: delta\ndata: 2\n\nid: a:3\nevent: done\ndata: {}\n\n"] }
    ])
    expect(await done).toEqual({ _tag: "finished" })
    expect(calls).toHaveLength(2)
    expect(calls[1]!.headers["last-event-id"]).toBe("a:1")
    expect(sleeps).toEqual([1500])
    expect(seen.map((e) => e.data)).toEqual(["1", "2", "{}"])
    expect(states).toEqual(["connecting", "open", "reconnecting", "open"])
    // Said as soon as the connection dropped, not only once the wait is over.
    expect(waitingIn).toEqual(["reconnecting"])
  })

  it("reconnects when the server ends the stream before the last event", async () => {
    const { done, calls } = run([
      { body: ["id: a:4\nevent: delta\ndata: x\n\n"] },
      { body: ["event: done\ndata: {}\n\n"] }
    ], { lastEventId: "a:3" })
    expect(await done).toEqual({ _tag: "finished" })
    expect(calls.map((c) => c.headers["last-event-id"])).toEqual(["a:3", "a:4"])
  })

  it("backs off exponentially on network errors and gives up after maxAttempts", async () => {
    const { done, calls } = run(
      [{ networkError: true }, { networkError: true }, { networkError: true }, { networkError: true }],
      { maxAttempts: 4, retryMs: 100 }
    )
    expect(await done).toEqual({ _tag: "failed", status: undefined, body: undefined })
    expect(calls).toHaveLength(4)
    expect(sleeps).toEqual([100, 200, 400])
  })

  it("renews credentials once on 401 and retries with the headers read afresh", async () => {
    let renewals = 0
    let token = "old"
    const { done, calls } = run(
      [{ status: 401, json: { error: { code: "token_expired" } } }, { body: ["event: done\ndata: {}\n\n"] }],
      {
        headers: () => ({ authorization: `Bearer ${token}` }),
        onUnauthorized: async () => {
          renewals++
          token = "new"
          return true
        }
      }
    )
    expect(await done).toEqual({ _tag: "finished" })
    expect(renewals).toBe(1)
    expect(calls.map((c) => c.headers["authorization"])).toEqual(["Bearer old", "Bearer new"])
  })

  it("fails with the status and body when renewing did not help, or for a refusal", async () => {
    const unauthorized = run([{ status: 401 }], { onUnauthorized: async () => false })
    expect(await unauthorized.done).toEqual({ _tag: "failed", status: 401, body: undefined })
    const refused = run([{ status: 409, json: { error: { code: "results_not_ready", message: "Complete it first." } } }])
    expect(await refused.done).toEqual({
      _tag: "failed",
      status: 409,
      body: { error: { code: "results_not_ready", message: "Complete it first." } }
    })
    expect(refused.calls).toHaveLength(1)
  })

  it("waits Retry-After on 429 and 503, then succeeds", async () => {
    const { done } = run([
      { status: 429, headers: { "retry-after": "3" } },
      { status: 503 },
      { body: ["event: done\ndata: {}\n\n"] }
    ], { retryMs: 100 })
    expect(await done).toEqual({ _tag: "finished" })
    expect(sleeps).toEqual([3000, 200])
  })

  it("gives up on a refusal with its Retry-After, as a caller can show how long to wait", async () => {
    const limited = run([
      { status: 429, headers: { "retry-after": "2" } },
      { status: 429, headers: { "retry-after": "7" } }
    ], { maxAttempts: 2 })
    expect(await limited.done).toMatchObject({ _tag: "failed", status: 429, retryAfterMs: 7000 })
    expect(sleeps).toEqual([2000])
    // An HTTP-date or no header at all: nothing to show.
    const dated = run([{ status: 503, headers: { "retry-after": "Wed, 21 Oct 2026 07:28:00 GMT" } }], { maxAttempts: 1 })
    expect(await dated.done).toMatchObject({ _tag: "failed", status: 503, retryAfterMs: undefined })
  })

  it("stops when aborted", async () => {
    const controller = new AbortController()
    const { done } = run([{ networkError: true }], {
      signal: controller.signal,
      sleep: async () => controller.abort()
    })
    expect(await done).toEqual({ _tag: "aborted" })
  })
})
