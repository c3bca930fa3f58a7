import { createServer, type Server } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { perform } from "../runner/HttpClient.js"
import type { HttpCall } from "../runner/Protocol.js"

/**
 * A server that drops a kept-alive connection when its second request arrives, without answering:
 * what a client sees when the server closed an idle connection just as the client reused it.
 * Requests on a fresh connection are answered.
 */
let server: Server
let base = ""
let received = 0
beforeAll(async () => {
  const served = new WeakMap<Socket, number>()
  server = createServer((req, res) => {
    received++
    const count = (served.get(req.socket) ?? 0) + 1
    served.set(req.socket, count)
    if (count > 1) return req.socket.destroy()
    req.resume()
    req.on("end", () => res.end(`${req.method} ok`))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const call = (method: string, headers: Record<string, string> = {}): HttpCall => ({
  method,
  url: `${base}/answers`,
  body: method === "GET" ? null : "{}",
  headers,
  tags: {},
  timeout: "5s"
})

/** The first call opens a connection that the agent keeps; the second reuses it and is dropped. */
const onAStaleConnection = async (second: HttpCall) => {
  const first = await perform(call("GET"))
  expect(first).toMatchObject({ status: 200 })
  received = 0
  return perform(second)
}

describe("runner HTTP client on a connection the server dropped", () => {
  it("sends a request with an Idempotency-Key again on a new connection, once (as k6's Go client does)", async () => {
    const reply = await onAStaleConnection(call("PUT", { "Idempotency-Key": "k-1" }))
    expect(reply).toMatchObject({ status: 200, body: "PUT ok" })
    expect(received).toBe(2)
  })

  it("sends a GET again", async () => {
    expect(await onAStaleConnection(call("GET"))).toMatchObject({ status: 200, body: "GET ok" })
  })

  it("does not replay a POST without a key: status 0 and the error", async () => {
    const reply = await onAStaleConnection(call("POST"))
    expect(reply).toMatchObject({ status: 0 })
    expect(reply.kind === "response" && reply.error).toMatch(/socket hang up|ECONNRESET/)
    expect(received).toBe(1)
  })
})
