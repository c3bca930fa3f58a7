import { randomUUID } from "node:crypto"
import http from "node:http"
import type { AddressInfo } from "node:net"

/**
 * A stand-in for the server, enough for the runner's own tests: `/echo` (the request back as
 * JSON), `/redirect`, and the part of the Compilar API the answers scenario uses, with the write
 * bugs the scenario must catch.
 */

export interface FakeApiOptions {
  /** Acknowledge the `write`-th write to this question of every assessment without storing it. */
  readonly lose?: { readonly question: string; readonly write: number }
  /** Ignore changes to an answer already given (acknowledging them all the same). */
  readonly firstWins?: boolean
}

export interface EchoedRequest {
  readonly path: string
  readonly query: Readonly<Record<string, string>>
}

export interface FakeApi {
  readonly url: string
  /** Every /echo request, in arrival order. */
  readonly echoed: ReadonlyArray<EchoedRequest>
  readonly close: () => Promise<void>
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
}

export const startFakeApi = async (options: FakeApiOptions = {}): Promise<FakeApi> => {
  const echoed: Array<EchoedRequest> = []
  const assessments = new Map<string, Record<string, number>>()
  const writes = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake")
      const body = chunks.length === 0 ? null : JSON.parse(Buffer.concat(chunks).toString("utf8"))
      const route = `${req.method} ${url.pathname}`
      let match: RegExpExecArray | null
      if (route === "GET /echo") {
        echoed.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) })
        return json(res, 200, { query: Object.fromEntries(url.searchParams), headers: req.headers })
      }
      if (route === "GET /redirect") return res.writeHead(302, { location: "/echo" }).end()
      if (route === "POST /api/v1/auth/signup") return json(res, 201, { accessToken: randomUUID() })
      if (route === "POST /api/v1/assessments") {
        const id = randomUUID()
        assessments.set(id, {})
        return json(res, 201, { id })
      }
      if ((match = /^POST \/api\/v1\/assessments\/([^/]+)\/questions$/.exec(route)) !== null) {
        return json(res, 200, { questions: Array.from({ length: 10 }, (_, i) => ({ id: `q${String(i + 1).padStart(2, "0")}` })) })
      }
      if ((match = /^PUT \/api\/v1\/assessments\/([^/]+)\/answers\/([^/]+)$/.exec(route)) !== null) {
        const answers = assessments.get(match[1]!)!
        const questionId = match[2]!
        const value = (body as { value: number }).value
        const slot = `${match[1]}/${questionId}`
        writes.set(slot, (writes.get(slot) ?? 0) + 1)
        const lost = options.lose?.question === questionId && options.lose.write === writes.get(slot)
        const ignored = options.firstWins === true && questionId in answers
        if (!lost && !ignored) answers[questionId] = value
        return json(res, 200, { questionId, value })
      }
      if ((match = /^GET \/api\/v1\/assessments\/([^/]+)$/.exec(route)) !== null) {
        return json(res, 200, { id: match[1], answers: assessments.get(match[1]!) ?? {} })
      }
      json(res, 404, { code: "not_found" })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    echoed,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
