import { formatDuration } from "./Durations.js"
import { builtins, type Metrics, rateOf, sumOf, trendStats } from "./Metrics.js"
import type { IterationStats } from "./Executors.js"
import type { ThresholdResult } from "./Thresholds.js"

/** What a run measured, as JSON (`--summary-json`) and as k6-like text. */

export interface RequestStats {
  /** The `name` tag (the URL unless the script named the request). */
  readonly name: string
  readonly count: number
  readonly failed: number
  readonly avg: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
}

export interface CustomMetric {
  readonly name: string
  readonly type: string
  readonly samples: number
  /** counter: the sum; gauge: the last value; rate: the share of non-zero samples; trend: the p95. */
  readonly value: number
}

export interface Summary {
  readonly script: string
  readonly baseUrl: string | null
  /** From the first scenario's start to the last one's end (setup and teardown excluded). */
  readonly durationMs: number
  readonly scenarios: ReadonlyArray<{ readonly name: string; readonly executor: string; readonly vus: number }>
  readonly requests: { readonly count: number; readonly failed: number; readonly perSecond: number }
  readonly byName: ReadonlyArray<RequestStats>
  readonly checks: {
    readonly passes: number
    readonly fails: number
    readonly byName: ReadonlyArray<{ readonly name: string; readonly passes: number; readonly fails: number }>
  }
  readonly iterations: IterationStats & { readonly dropped: number }
  /** CPU the runner itself used (main thread and VU threads) over the scenarios: the load
   * generator shares the machine with the server here, and one that saturates a core measures
   * itself as much as the server. */
  readonly runnerCpu: { readonly seconds: number; readonly shareOfOneCore: number }
  readonly metrics: ReadonlyArray<CustomMetric>
  readonly thresholds: ReadonlyArray<ThresholdResult>
  readonly thresholdsOk: boolean
}

const round = (n: number) => Math.round(n * 100) / 100

const groupBy = <T>(items: ReadonlyArray<T>, key: (item: T) => string): Map<string, Array<T>> => {
  const groups = new Map<string, Array<T>>()
  for (const item of items) {
    const k = key(item)
    groups.set(k, [...(groups.get(k) ?? []), item])
  }
  return groups
}

export const summarize = (input: {
  readonly script: string
  readonly baseUrl: string | null
  readonly durationMs: number
  readonly scenarios: Summary["scenarios"]
  readonly metrics: Metrics
  readonly stats: IterationStats
  readonly cpuMicros: number
  readonly thresholds: ReadonlyArray<ThresholdResult>
}): Summary => {
  const { metrics } = input
  const durations = metrics.all.get("http_req_duration")!.samples
  const byName = [...groupBy(durations, (s) => s.tags["name"] ?? "").entries()].map(([name, samples]): RequestStats => {
    const stats = trendStats(samples.map((s) => s.value))
    return {
      name,
      count: samples.length,
      failed: samples.filter((s) => s.tags["expected_response"] !== "true").length,
      avg: round(stats.avg),
      p50: round(stats.med),
      p95: round(stats.p95),
      p99: round(stats.p99),
      max: round(stats.max)
    }
  })
  const checks = metrics.all.get("checks")!.samples
  const failed = metrics.values("http_req_failed")
  const custom = [...metrics.all.entries()].filter(([name]) => !(name in builtins)).map(([name, metric]): CustomMetric => {
    const values = metric.samples.map((s) => s.value)
    const value = values.length === 0
      ? 0
      : metric.type === "counter"
      ? sumOf(values)
      : metric.type === "gauge"
      ? values[values.length - 1]!
      : metric.type === "rate"
      ? rateOf(values)
      : trendStats(values).p95
    return { name, type: metric.type, samples: values.length, value: round(value) }
  })
  return {
    script: input.script,
    baseUrl: input.baseUrl,
    durationMs: Math.round(input.durationMs),
    scenarios: input.scenarios,
    requests: {
      count: durations.length,
      failed: sumOf(failed),
      perSecond: round(durations.length / Math.max(input.durationMs / 1000, 0.001))
    },
    byName,
    checks: {
      passes: checks.filter((s) => s.value === 1).length,
      fails: checks.filter((s) => s.value === 0).length,
      byName: [...groupBy(checks, (s) => s.tags["check"] ?? "").entries()].map(([name, samples]) => ({
        name,
        passes: samples.filter((s) => s.value === 1).length,
        fails: samples.filter((s) => s.value === 0).length
      }))
    },
    iterations: { ...input.stats, dropped: sumOf(metrics.values("dropped_iterations")) },
    runnerCpu: {
      seconds: round(input.cpuMicros / 1e6),
      shareOfOneCore: round(input.cpuMicros / 1e3 / Math.max(input.durationMs, 1))
    },
    metrics: custom,
    thresholds: input.thresholds,
    thresholdsOk: input.thresholds.every((t) => t.ok)
  }
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)}ms`
const pad = (s: string, width: number) => s.padEnd(width)
const padLeft = (s: string, width: number) => s.padStart(width)

export const formatSummary = (summary: Summary): string => {
  const lines: Array<string> = []
  lines.push(`  script: ${summary.script}`)
  if (summary.baseUrl !== null) lines.push(`  target: ${summary.baseUrl}`)
  for (const s of summary.scenarios) lines.push(`  scenario ${s.name}: ${s.executor}, up to ${s.vus} VUs`)
  lines.push(`  duration: ${formatDuration(summary.durationMs)}`, "")
  for (const check of summary.checks.byName) {
    const total = check.passes + check.fails
    lines.push(check.fails === 0 ? `  ✓ ${check.name}` : `  ✗ ${check.name}\n     ↳ ${Math.floor((check.passes / total) * 100)}% — ✓ ${check.passes} / ✗ ${check.fails}`)
  }
  const checks = summary.checks
  const checkTotal = checks.passes + checks.fails
  lines.push(
    "",
    `  checks..........: ${checkTotal === 0 ? "-" : `${((checks.passes / checkTotal) * 100).toFixed(2)}%`} ✓ ${checks.passes} ✗ ${checks.fails}`,
    `  http_reqs.......: ${summary.requests.count} (${summary.requests.perSecond}/s), failed ${summary.requests.failed}`,
    `  iterations......: ${summary.iterations.completed} completed, ${summary.iterations.failed} threw, ` +
      `${summary.iterations.interrupted} interrupted, ${summary.iterations.dropped} dropped`,
    `  runner CPU......: ${summary.runnerCpu.seconds}s (${Math.round(summary.runnerCpu.shareOfOneCore * 100)}% of one core)`
  )
  for (const metric of summary.metrics) lines.push(`  ${pad(metric.name, 16)}: ${metric.value} (${metric.type}, ${metric.samples} samples)`)
  const width = Math.max(8, ...summary.byName.map((r) => r.name.length))
  lines.push(
    "",
    `  ${pad("request", width)} ${padLeft("count", 7)} ${padLeft("failed", 7)} ${padLeft("p50", 9)} ${padLeft("p95", 9)} ${padLeft("p99", 9)} ${padLeft("max", 9)}`
  )
  for (const r of summary.byName) {
    lines.push(
      `  ${pad(r.name, width)} ${padLeft(String(r.count), 7)} ${padLeft(String(r.failed), 7)} ${padLeft(ms(r.p50), 9)} ${padLeft(ms(r.p95), 9)} ${padLeft(ms(r.p99), 9)} ${padLeft(ms(r.max), 9)}`
    )
  }
  lines.push("", "  thresholds:")
  for (const t of summary.thresholds) {
    const actual = t.actual === null ? "no samples" : String(Number(t.actual.toPrecision(6)))
    lines.push(`  ${t.ok ? "✓" : "✗"} ${t.key}: ${t.expression} (actual ${actual})`)
  }
  return lines.join("\n")
}
