import { describe, expect, it } from "vitest"
import { parseDuration } from "../runner/Durations.js"
import { ConfigError } from "../runner/Errors.js"
import { activeVUs } from "../runner/Executors.js"
import { Metrics } from "../runner/Metrics.js"
import { planOf, type RampingVus } from "../runner/Options.js"
import { evaluate, parseThresholds } from "../runner/Thresholds.js"

const arrival = { executor: "constant-arrival-rate", rate: 10, duration: "5s", preAllocatedVUs: 2 }

describe("options", () => {
  it("reads k6 durations", () => {
    expect(parseDuration("1m30s", "d")).toBe(90_000)
    expect(parseDuration("500ms", "d")).toBe(500)
    expect(parseDuration("1h2m3.5s", "d")).toBe(3_723_500)
    expect(parseDuration(250, "d")).toBe(250)
    expect(() => parseDuration("5 minutes", "params.timeout")).toThrow(/params.timeout: expected a duration/)
  })

  it("plans both executors with k6's defaults", () => {
    const plan = planOf({
      scenarios: {
        a: arrival,
        r: { executor: "ramping-vus", stages: [{ duration: "10s", target: 3 }] }
      }
    })
    expect(plan.scenarios).toEqual([
      expect.objectContaining({ name: "a", exec: "default", rate: 10, timeUnitMs: 1000, durationMs: 5000, maxVUs: 2, gracefulStopMs: 30_000 }),
      expect.objectContaining({ name: "r", startVUs: 1, gracefulRampDownMs: 30_000, stages: [{ durationMs: 10_000, target: 3 }] })
    ])
    expect(plan.setupTimeoutMs).toBe(60_000)
  })

  it("refuses what it does not implement, naming it", () => {
    const refused = (options: unknown) => {
      try {
        planOf(options)
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError)
        return (error as Error).message
      }
      throw new Error("accepted")
    }
    expect(refused({ vus: 10, duration: "30s" })).toMatch(/options.vus is not supported/)
    expect(refused({ scenarios: { s: { executor: "shared-iterations", vus: 1, iterations: 1 } } }))
      .toMatch(/executor "shared-iterations" is not supported by the Node runner \(supported: ramping-vus, constant-arrival-rate\)/)
    expect(refused({ scenarios: { s: { ...arrival, startRate: 5 } } })).toMatch(/options.scenarios.s.startRate is not supported/)
    expect(refused({ scenarios: { s: arrival }, thresholds: { checks: [{ threshold: "rate>0.9", abortOnFail: true }] } }))
      .toMatch(/abortOnFail is not supported/)
    expect(refused({ scenarios: { s: { ...arrival, maxVUs: 1 } } })).toMatch(/maxVUs must be at least preAllocatedVUs/)
    expect(refused({})).toMatch(/at least one scenario/)
  })

  it("interpolates a ramp as k6 does: whole VUs, up by floor and down by ceiling", () => {
    const ramp = planOf({
      scenarios: {
        r: { executor: "ramping-vus", startVUs: 0, stages: [{ duration: "10s", target: 10 }, { duration: "10s", target: 0 }] }
      }
    }).scenarios[0] as RampingVus
    expect([0, 999, 1000, 5500, 9999].map((t) => activeVUs(ramp, t))).toEqual([0, 0, 1, 5, 9])
    expect([10_000, 10_001, 15_000, 19_999, 20_000].map((t) => activeVUs(ramp, t))).toEqual([10, 10, 5, 1, 0])
  })
})

describe("thresholds", () => {
  const metrics = new Metrics()
  for (const [value, name] of [[10, "answer"], [20, "answer"], [30, "answer"], [40, "answer"], [500, "signup"]] as const) {
    metrics.add("http_req_duration", value, { name })
    metrics.add("http_req_failed", name === "signup" ? 1 : 0, { name })
  }
  metrics.define("answers_lost", "counter", false)
  metrics.add("answers_lost", 0, {})

  const run = (raw: Record<string, Array<string>>) => parseThresholds(raw, metrics).map((t) => evaluate(t, metrics, 10))

  it("evaluates trends per tag, rates and counters", () => {
    const [p95, avg, failed, lost, perSecond] = run({
      "http_req_duration{name:answer}": ["p(95)<40", "avg==25"],
      http_req_failed: ["rate<0.1"],
      answers_lost: ["count==0", "rate<1"]
    })
    expect(p95).toMatchObject({ actual: 38.5, ok: true })
    expect(avg).toMatchObject({ actual: 25, ok: true })
    expect(failed).toMatchObject({ actual: 0.2, ok: false })
    expect(lost).toMatchObject({ actual: 0, ok: true })
    expect(perSecond).toMatchObject({ actual: 0, ok: true })
  })

  it("fails a budget nothing was measured against; an empty counter counts 0", () => {
    expect(run({ "http_req_duration{name:coaching}": ["p(95)<100"], "http_req_failed{name:coaching}": ["rate<0.01"] }))
      .toEqual([expect.objectContaining({ actual: null, ok: false }), expect.objectContaining({ actual: null, ok: false })])
    expect(run({ dropped_iterations: ["count==0"] })).toEqual([expect.objectContaining({ actual: 0, ok: true })])
  })

  it("refuses unknown metrics and aggregations that do not fit the metric", () => {
    expect(() => run({ answers_missing: ["count==0"] })).toThrow(/no metric answers_missing/)
    expect(() => run({ http_req_failed: ["p(95)<0.1"] })).toThrow(/not a valid expression for a rate/)
    expect(() => run({ http_req_duration: ["rate<1"] })).toThrow(/not a valid expression for a trend/)
  })
})
