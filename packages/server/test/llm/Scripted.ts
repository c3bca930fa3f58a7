import { Effect } from "effect"
import { withDeadlines } from "../../src/Llm/Deadlines.js"
import { isLlmError, LlmConnectionFailed, type LlmError } from "../../src/Llm/Errors.js"
import type { ChatRequest, ChatResult, LlmProvider, ProviderName, Timeouts } from "../../src/Llm/Provider.js"
import { openSse, sseStream } from "../../src/Llm/SseStream.js"
import { event, makeWire, type Wire } from "./Wire.js"

/**
 * A provider whose every request is scripted by the test, over in-memory wires: the real
 * `openSse` reader and `withDeadlines` (so every timeout is the production code's, on the
 * `Clock`), with no socket and no timer. Requests without a script get the default answer.
 */
export interface Scripted {
  readonly provider: LlmProvider
  /** What the next streamed requests do, in order, once sent. */
  readonly streams: Array<(wire: Wire) => void>
  /** What the next chat requests do, in order. */
  readonly chats: Array<ChatBehaviour>
  /** Every streamed request's wire, in order. */
  readonly wires: ReadonlyArray<Wire>
  readonly chatCalls: () => number
  readonly streamCalls: () => number
  /** The requests' `messages`, in order (both operations). */
  readonly requests: ReadonlyArray<ChatRequest>
}

export type ChatBehaviour =
  | { readonly _tag: "Answer"; readonly result: ChatResult }
  | { readonly _tag: "Fail"; readonly error: LlmError }
  /** No headers, ever. */
  | { readonly _tag: "Hang" }
  /** Headers, then a body that never completes. */
  | { readonly _tag: "SlowBody" }

export const answer = (text: string, structured?: unknown): ChatBehaviour => ({
  _tag: "Answer",
  result: { text, finishReason: "stop", usage: { inputTokens: 3, outputTokens: 5 }, ...(structured === undefined ? {} : { structured }) }
})
export const failWith = (error: LlmError): ChatBehaviour => ({ _tag: "Fail", error })
export const hang: ChatBehaviour = { _tag: "Hang" }
export const slowBody: ChatBehaviour = { _tag: "SlowBody" }

/** Stream scripts. */
export const replies = (...texts: ReadonlyArray<string>) => (wire: Wire) => {
  wire.respond()
  wire.send(texts.map(event).join("") + event("[DONE]"))
  wire.end()
}
export const refuses = (error: LlmError) => (wire: Wire) => wire.refuse(error)
/** Never sends its headers. */
export const silentServer = (_wire: Wire) => undefined
/** Headers, then nothing. */
export const noFirstToken = (wire: Wire) => wire.respond()
/** Headers and these deltas, then nothing (the connection held open). */
export const stallsAfter = (...texts: ReadonlyArray<string>) => (wire: Wire) => {
  wire.respond()
  wire.send(texts.map(event).join(""))
}
/** Headers and these deltas, then the body ends without the terminator. */
export const truncatedAfter = (...texts: ReadonlyArray<string>) => (wire: Wire) => {
  wire.respond()
  wire.send(texts.map(event).join(""))
  wire.end()
}
/** Headers and these events (e.g. a ping), then a socket reset once they have been read. */
export const breaksAfter = (...texts: ReadonlyArray<string>) => (wire: Wire) => {
  wire.respond()
  wire.send(texts.map(event).join(""))
  // Erroring a web stream discards what is queued in it: let the reader take the events first.
  setImmediate(() => setImmediate(() => wire.break(new Error("read ECONNRESET"))))
}

export const makeScripted = (name: ProviderName, timeouts: Timeouts, model = `${name}-model`): Scripted => {
  const streams: Array<(wire: Wire) => void> = []
  const chats: Array<ChatBehaviour> = []
  const wires: Array<Wire> = []
  const requests: Array<ChatRequest> = []
  let chatCalls = 0

  const nextWire = (request: ChatRequest) => {
    requests.push(request)
    const wire = makeWire()
    wires.push(wire)
    const script = streams.shift() ?? replies(`${name} `, "says hi")
    const options = wire.options(timeouts, name)
    return {
      ...options,
      open: (signal: AbortSignal) => {
        const response = options.open(signal)
        script(wire)
        return response
      }
    }
  }

  const chat = (request: ChatRequest) =>
    withDeadlines<ChatResult>(
      name,
      timeouts,
      (signal) => {
        chatCalls++
        requests.push(request)
        const behaviour = chats.shift() ?? answer(`${name} says hi`)
        const aborted = new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true })
        )
        aborted.catch(() => undefined)
        const never = new Promise<never>(() => undefined)
        const headers: Promise<Response> = behaviour._tag === "Hang"
          ? Promise.race([never, aborted])
          : behaviour._tag === "Fail"
          ? Promise.reject(behaviour.error)
          : Promise.resolve(new Response("{}"))
        const body: Promise<ChatResult> = behaviour._tag === "Answer"
          ? Promise.resolve(behaviour.result)
          : behaviour._tag === "Fail"
          ? Promise.reject(behaviour.error)
          : Promise.race([never, aborted])
        headers.catch(() => undefined)
        body.catch(() => undefined)
        return { asResponse: () => headers, then: (onOk, onError) => body.then(onOk, onError) }
      },
      (cause) => (isLlmError(cause) ? cause : new LlmConnectionFailed({ provider: name, message: String(cause), cause }))
    )

  const provider: LlmProvider = {
    name,
    model,
    chat,
    stream: (request) => sseStream(nextWire(request)),
    streamPull: (request) => Effect.suspend(() => openSse(nextWire(request)))
  }
  return {
    provider,
    streams,
    chats,
    wires,
    requests,
    chatCalls: () => chatCalls,
    streamCalls: () => wires.length
  }
}
