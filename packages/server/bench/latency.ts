/**
 * A closed-loop load runner that records every request's latency, for percentiles that
 * autocannon does not report (p95). `concurrency` workers send requests back to back for
 * `seconds`, cycling through `requests`, each worker on its own keep-alive connection.
 *
 * It sends with node:http rather than `fetch`: the runner shares the machine's cores with the
 * server it measures, and `fetch` spent about 0.76 ms of CPU per search request here, as much
 * as the server's own HTTP thread, so its cost showed up as the server's latency.
 */
import { Agent, request as httpRequest } from "node:http"
import { percentile } from "./stats.js"

export interface LatencyReport {
  readonly count: number
  readonly errors: number
  readonly rps: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  /** Every request's latency in ms, ascending. */
  readonly latencies: ReadonlyArray<number>
  readonly seconds: number
}

/** Several reports as one: every latency pooled, throughput over their combined time. */
export const pooled = (reports: ReadonlyArray<LatencyReport>): LatencyReport => {
  const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b)
  const seconds = reports.reduce((sum, report) => sum + report.seconds, 0)
  return {
    count: latencies.length,
    errors: reports.reduce((sum, report) => sum + report.errors, 0),
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    latencies,
    seconds
  }
}

export interface BenchRequest {
  readonly method: string
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
}

/** One request to completion (body read); its status, or 0 when it failed. */
const send = (agent: Agent, request: BenchRequest): Promise<number> =>
  new Promise((resolve) => {
    const body = request.body === undefined ? undefined : Buffer.from(request.body)
    const outgoing = httpRequest(request.url, {
      agent,
      method: request.method,
      headers: { ...request.headers, ...(body === undefined ? {} : { "content-length": body.length }) }
    }, (response) => {
      response.on("data", () => {})
      response.once("end", () => resolve(response.statusCode ?? 0))
      response.once("error", () => resolve(0))
    })
    outgoing.once("error", () => resolve(0))
    outgoing.end(body)
  })

export const measure = async (
  requests: ReadonlyArray<BenchRequest>,
  options: { readonly concurrency: number; readonly seconds: number }
): Promise<LatencyReport> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
  const latencies: Array<number> = []
  let errors = 0
  let next = 0
  const deadline = performance.now() + options.seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const request = requests[next++ % requests.length]!
      const started = performance.now()
      const status = await send(agent, request)
      if (status < 200 || status >= 300) errors++
      latencies.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  const sorted = latencies.sort((a, b) => a - b)
  return {
    count: sorted.length,
    errors,
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    latencies: sorted,
    seconds: elapsed
  }
}
