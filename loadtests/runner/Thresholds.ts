import { ConfigError } from "./Errors.js"
import { type Metrics, percentile, rateOf, sumOf } from "./Metrics.js"
import type { MetricType, Tags } from "./Protocol.js"

/**
 * k6 thresholds: `"metric{tag:value,…}": ["aggregation op number", …]`, e.g.
 * `"http_req_duration{name:answer}": ["p(95)<50"]`. Aggregations by metric type, as in k6:
 * trend avg/min/max/med/p(N), rate `rate`, counter `count`/`rate` (per second), gauge `value`.
 * A counter without samples counts 0 (`dropped_iterations: ["count==0"]` holds when nothing was
 * dropped). Unlike k6, a trend, rate or gauge threshold whose (sub)metric has no samples fails
 * ("no samples"): a budget that nothing was measured against has not been met.
 */

type Operator = "<" | "<=" | ">" | ">=" | "==" | "===" | "!="

export interface Threshold {
  /** The key as written (`http_req_duration{name:answer}`). */
  readonly key: string
  readonly metric: string
  readonly filter: Tags
  readonly expression: string
  readonly aggregation: string
  readonly operator: Operator
  readonly limit: number
}

export interface ThresholdResult extends Threshold {
  /** The aggregated value; null when the (sub)metric has no samples. */
  readonly actual: number | null
  readonly ok: boolean
}

const allowed: Readonly<Record<MetricType, RegExp>> = {
  trend: /^(avg|min|max|med|p\(\d+(\.\d+)?\))$/,
  rate: /^rate$/,
  counter: /^(count|rate)$/,
  gauge: /^value$/
}

const parseKey = (key: string): { metric: string; filter: Tags } => {
  const match = /^\s*([A-Za-z0-9_]+)\s*(?:\{(.*)\})?\s*$/.exec(key)
  if (match === null) throw new ConfigError(`threshold ${JSON.stringify(key)}: expected metric or metric{tag:value}`)
  const filter: Record<string, string> = {}
  for (const pair of (match[2] ?? "").split(",").filter((p) => p.trim() !== "")) {
    const colon = pair.indexOf(":")
    if (colon < 1) throw new ConfigError(`threshold ${JSON.stringify(key)}: expected tag:value in ${JSON.stringify(pair)}`)
    filter[pair.slice(0, colon).trim()] = pair.slice(colon + 1).trim()
  }
  return { metric: match[1]!, filter }
}

export const parseThresholds = (
  raw: Readonly<Record<string, ReadonlyArray<string>>>,
  metrics: Metrics
): ReadonlyArray<Threshold> =>
  Object.entries(raw).flatMap(([key, expressions]) => {
    const { metric, filter } = parseKey(key)
    const known = metrics.all.get(metric)
    if (known === undefined) {
      throw new ConfigError(`threshold ${JSON.stringify(key)}: no metric ${metric} (built-in or declared in the init context)`)
    }
    return expressions.map((expression): Threshold => {
      const match = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expression)
      if (match === null || !allowed[known.type].test(match[1]!)) {
        throw new ConfigError(
          `threshold ${JSON.stringify(key)}: ${JSON.stringify(expression)} is not a valid expression for a ${known.type} ` +
            `(for example ${known.type === "trend" ? "p(95)<200" : known.type === "gauge" ? "value<10" : known.type === "counter" ? "count==0" : "rate<0.01"})`
        )
      }
      return { key, metric, filter, expression, aggregation: match[1]!, operator: match[2] as Operator, limit: Number(match[3]) }
    })
  })

const aggregate = (aggregation: string, type: MetricType, values: ReadonlyArray<number>, testSeconds: number): number => {
  if (aggregation === "rate") return type === "counter" ? sumOf(values) / testSeconds : rateOf(values)
  if (aggregation === "count") return sumOf(values)
  if (aggregation === "value") return values[values.length - 1]!
  if (aggregation === "avg") return sumOf(values) / values.length
  const sorted = [...values].sort((a, b) => a - b)
  if (aggregation === "min") return sorted[0]!
  if (aggregation === "max") return sorted[sorted.length - 1]!
  if (aggregation === "med") return percentile(sorted, 50)
  // p(N), the only form left that parseThresholds lets through.
  return percentile(sorted, Number(aggregation.slice(2, -1)))
}

const compare = (actual: number, operator: Operator, limit: number): boolean => {
  switch (operator) {
    case "<":
      return actual < limit
    case "<=":
      return actual <= limit
    case ">":
      return actual > limit
    case ">=":
      return actual >= limit
    case "==":
    case "===":
      return actual === limit
    case "!=":
      return actual !== limit
  }
}

export const evaluate = (threshold: Threshold, metrics: Metrics, testSeconds: number): ThresholdResult => {
  const values = metrics.values(threshold.metric, threshold.filter)
  const type = metrics.all.get(threshold.metric)!.type
  if (values.length === 0 && type !== "counter") return { ...threshold, actual: null, ok: false }
  const actual = aggregate(threshold.aggregation, type, values, testSeconds)
  return { ...threshold, actual, ok: compare(actual, threshold.operator, threshold.limit) }
}
