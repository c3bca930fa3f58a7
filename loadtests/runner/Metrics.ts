import { ConfigError } from "./Errors.js"
import type { MetricType, Tags } from "./Protocol.js"

/**
 * Every sample the test produced, with its tags, so that any threshold's tag filter
 * (`http_req_duration{name:answer}`) can be evaluated after the run. Load tests here make tens of
 * thousands of samples, which plain arrays hold easily.
 */

export interface Sample {
  readonly value: number
  readonly tags: Tags
}

export interface Metric {
  readonly type: MetricType
  /** Values are milliseconds (shown as durations). */
  readonly isTime: boolean
  readonly samples: Array<Sample>
}

/** The k6 built-in metrics the runner produces. */
export const builtins: Readonly<Record<string, { readonly type: MetricType; readonly isTime: boolean }>> = {
  http_reqs: { type: "counter", isTime: false },
  http_req_duration: { type: "trend", isTime: true },
  http_req_waiting: { type: "trend", isTime: true },
  http_req_failed: { type: "rate", isTime: false },
  checks: { type: "rate", isTime: false },
  iterations: { type: "counter", isTime: false },
  iteration_duration: { type: "trend", isTime: true },
  dropped_iterations: { type: "counter", isTime: false }
}

export class Metrics {
  readonly all = new Map<string, Metric>(
    Object.entries(builtins).map(([name, { type, isTime }]) => [name, { type, isTime, samples: [] }])
  )

  /** A custom metric; every VU declares it again in its init context, which must agree. */
  define(name: string, type: MetricType, isTime: boolean): void {
    const known = this.all.get(name)
    if (known === undefined) {
      this.all.set(name, { type, isTime, samples: [] })
    } else if (known.type !== type || known.isTime !== isTime) {
      throw new ConfigError(`metric ${name} is declared as a ${type} but it is a ${known.type}`)
    }
  }

  add(name: string, value: number, tags: Tags): void {
    const metric = this.all.get(name)
    if (metric === undefined) throw new Error(`metric ${name} was never declared`)
    metric.samples.push({ value, tags })
  }

  /** The values of `name` whose tags include every pair in `filter`. */
  values(name: string, filter: Tags = {}): ReadonlyArray<number> {
    const metric = this.all.get(name)
    if (metric === undefined) return []
    const pairs = Object.entries(filter)
    return metric.samples.filter((s) => pairs.every(([k, v]) => s.tags[k] === v)).map((s) => s.value)
  }
}

/** k6's percentile: linear interpolation between the closest ranks of the sorted values. */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = (p / 100) * (sorted.length - 1)
  const lower = Math.floor(rank)
  const upper = Math.ceil(rank)
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower)
}

export interface TrendStats {
  readonly count: number
  readonly avg: number
  readonly min: number
  readonly med: number
  readonly max: number
  readonly p90: number
  readonly p95: number
  readonly p99: number
}

export const trendStats = (values: ReadonlyArray<number>): TrendStats => {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    count: sorted.length,
    avg: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    min: sorted[0] ?? Number.NaN,
    med: percentile(sorted, 50),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99)
  }
}

/** A rate metric's share of non-zero samples. */
export const rateOf = (values: ReadonlyArray<number>): number => values.filter((v) => v !== 0).length / values.length

export const sumOf = (values: ReadonlyArray<number>): number => values.reduce((sum, v) => sum + v, 0)
