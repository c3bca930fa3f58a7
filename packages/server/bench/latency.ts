/**
 * A closed-loop load runner that records every request's latency, for percentiles that
 * autocannon does not report (p95). `concurrency` workers send requests back to back for
 * `seconds`, cycling through `requests`.
 */
export interface LatencyReport {
  readonly count: number
  readonly errors: number
  readonly rps: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
}

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

export const measure = async (
  requests: ReadonlyArray<{ readonly url: string; readonly init: RequestInit }>,
  options: { readonly concurrency: number; readonly seconds: number }
): Promise<LatencyReport> => {
  const latencies: Array<number> = []
  let errors = 0
  let next = 0
  const deadline = performance.now() + options.seconds * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const request = requests[next++ % requests.length]!
      const started = performance.now()
      try {
        const response = await fetch(request.url, request.init)
        await response.arrayBuffer()
        if (!response.ok) errors++
      } catch {
        errors++
      }
      latencies.push(performance.now() - started)
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  const sorted = latencies.sort((a, b) => a - b)
  return {
    count: sorted.length,
    errors,
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99)
  }
}
