import http from "node:http"
import https from "node:https"
import { performance } from "node:perf_hooks"
import { parseDuration } from "./Durations.js"
import type { HttpCall, HttpReply } from "./Protocol.js"

/**
 * The runner's HTTP client: what `k6/http` does for the VUs, on the main thread. Keep-alive
 * connections shared by every VU (k6 keeps one pool per VU; either way a connection is opened
 * once and reused). `timings.duration` runs from the request being sent on a connected socket to
 * the last byte of the body, like k6's (connection set-up excluded); `waiting` to the response
 * headers. The body is read in full, as k6 does (an SSE stream until the server ends it).
 */

const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: Infinity }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: Infinity })
}

/** k6's default `params.timeout`. */
const defaultTimeoutMs = 60_000

/** Go's canonical header form, which k6 uses for `res.headers`: `content-type` → `Content-Type`. */
export const canonicalHeader = (name: string): string =>
  name.split("-").map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase()).join("-")

class RequestTimeout extends Error {}

/**
 * A keep-alive connection the server closed while it sat idle fails the next request sent on it
 * (ECONNRESET, EPIPE) before any answer. Go's HTTP client, which k6 uses, sends such a request
 * again on a new connection when it may be replayed: GET, HEAD, OPTIONS, TRACE, or any request
 * carrying an `Idempotency-Key` (or `X-Idempotency-Key`) header. So does this one, once.
 */
const replayable = (call: HttpCall): boolean =>
  ["GET", "HEAD", "OPTIONS", "TRACE"].includes(call.method.toUpperCase()) ||
  Object.keys(call.headers).some((name) => ["idempotency-key", "x-idempotency-key"].includes(name.toLowerCase()))

const staleConnection = (request: http.ClientRequest, error: Error): boolean =>
  request.reusedSocket && ["ECONNRESET", "EPIPE"].includes((error as NodeJS.ErrnoException).code ?? "")

export const perform = (call: HttpCall, replayed = false): Promise<HttpReply> =>
  new Promise((resolve) => {
    const invalid = (message: string) => resolve({ kind: "invalid", message })
    let url: URL
    let timeoutMs: number
    try {
      url = new URL(call.url)
      timeoutMs = call.timeout === null ? defaultTimeoutMs : parseDuration(call.timeout, "params.timeout")
    } catch (error) {
      return invalid(`k6/http: ${error instanceof Error ? error.message : String(error)} (${call.method} ${call.url})`)
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return invalid(`k6/http: unsupported URL ${call.url}`)
    const transport = url.protocol === "https:" ? https : http
    const headers: Record<string, string> = { "user-agent": "compilar-loadtest-runner", ...call.headers }
    // The server refuses chunked request bodies (411), and k6 always sends Content-Length.
    if (call.body !== null && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      headers["content-length"] = String(Buffer.byteLength(call.body))
    }
    let sentAt = performance.now()
    let headersAt = sentAt
    let answered = false
    const request = transport.request(url, { method: call.method, headers, agent: agents[url.protocol] })
    const timer = setTimeout(() => request.destroy(new RequestTimeout(`request timeout after ${timeoutMs}ms`)), timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      resolve({
        kind: "response",
        status: 0,
        body: "",
        headers: {},
        timings: { duration: performance.now() - sentAt, waiting: 0 },
        error: error.message,
        errorCode: error instanceof RequestTimeout ? 1050 : 1000,
        url: call.url
      })
    }
    request.on("socket", (socket) => {
      const connectEvent = url.protocol === "https:" ? "secureConnect" : "connect"
      if (socket.connecting) socket.once(connectEvent, () => (sentAt = performance.now()))
      else sentAt = performance.now()
    })
    request.on("error", (error) => {
      if (!replayed && !answered && staleConnection(request, error) && replayable(call)) {
        clearTimeout(timer)
        return resolve(perform(call, true))
      }
      fail(error)
    })
    request.on("response", (response) => {
      answered = true
      headersAt = performance.now()
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("error", fail)
      response.on("end", () => {
        clearTimeout(timer)
        const status = response.statusCode ?? 0
        if (status >= 300 && status < 400 && response.headers.location !== undefined) {
          return invalid(`k6/http: ${call.method} ${call.url} answered a redirect, which the Node runner does not follow (k6 would)`)
        }
        const responseHeaders: Record<string, string> = {}
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) responseHeaders[canonicalHeader(name)] = Array.isArray(value) ? value.join(", ") : value
        }
        resolve({
          kind: "response",
          status,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: responseHeaders,
          timings: { duration: performance.now() - sentAt, waiting: headersAt - sentAt },
          error: "",
          errorCode: 0,
          url: call.url
        })
      })
    })
    request.end(call.body ?? undefined)
  })

/** Lets the process exit once the test is over (idle keep-alive sockets would hold it). */
export const closeConnections = (): void => {
  for (const agent of Object.values(agents)) agent.destroy()
}
