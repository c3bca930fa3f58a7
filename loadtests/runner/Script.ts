import { pathToFileURL } from "node:url"
import { setTimeout as delay } from "node:timers/promises"
import { ConfigError, ScriptError, TimeoutError } from "./Errors.js"
import { type IterationStats, runScenario } from "./Executors.js"
import { closeConnections } from "./HttpClient.js"
import { Metrics } from "./Metrics.js"
import { planOf, plannedVUs, type Scenario } from "./Options.js"
import { type Summary, summarize } from "./Summary.js"
import { evaluate, parseThresholds } from "./Thresholds.js"
import { type Outcome, Vu } from "./Vu.js"

/**
 * One k6 script, run the way `k6 run` does: the init context on VU 0 gives the options; setup
 * there; every scenario's planned VUs initialized; the scenarios on their executors, each from its
 * `startTime`; teardown on VU 0; thresholds over everything recorded, teardown's samples included.
 */

export interface ScriptRun {
  readonly scriptPath: string
  /** `__ENV`: k6 passes the system environment plus `-e` values. */
  readonly env: Readonly<Record<string, string>>
  readonly baseUrl: string | null
  readonly log: (line: string) => void
}

/** At most this many VUs initialize at once (each is a worker thread loading the script). */
const initConcurrency = 4

const withTimeout = async (call: Promise<Outcome>, ms: number): Promise<Outcome | "timeout"> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)))
  try {
    return await Promise.race([call, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const inBatches = async <T>(count: number, size: number, make: () => Promise<T>): Promise<Array<T>> => {
  const made: Array<T> = []
  while (made.length < count) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(size, count - made.length) }, make))))
  }
  return made
}

export interface ScriptResult {
  readonly summary: Summary
  /** teardown threw or timed out: the summary is still worth printing, the run still failed. */
  readonly teardownFailure: ScriptError | TimeoutError | null
}

export const runScript = async (run: ScriptRun): Promise<ScriptResult> => {
  const metrics = new Metrics()
  const script = pathToFileURL(run.scriptPath).href
  const vus = new Set<Vu>()
  const started = await Vu.start(0, { script, env: run.env, metrics })
  const main = started.vu
  vus.add(main)
  try {
    const plan = planOf(started.ready.options)
    const has = (name: string) => started.ready.functions.includes(name)
    for (const scenario of plan.scenarios) {
      if (!has(scenario.exec)) {
        throw new ConfigError(`options.scenarios.${scenario.name}.exec: the script exports no function ${scenario.exec}`)
      }
    }
    const thresholds = parseThresholds(plan.thresholds, metrics)

    let data: string | null = null
    if (has("setup")) {
      main.tags = { group: "::setup" }
      const outcome = await withTimeout(
        main.run({ exec: "setup", withData: false, returnResult: true, iteration: 0, iterationInTest: 0, scenario: null }),
        plan.setupTimeoutMs
      )
      if (outcome === "timeout") throw new TimeoutError(`setup() ran past setupTimeout (${plan.setupTimeoutMs}ms)`, 100)
      if (outcome.kind === "interrupted") throw new ScriptError("setup() was interrupted")
      if (outcome.error !== null) throw new ScriptError(`setup() threw: ${outcome.error}`)
      data = outcome.result
      if (data !== null) main.setData(data)
    }

    let nextId = 1
    const newVu = (scenario: Scenario) => async () => {
      const { vu } = await Vu.start(nextId++, { script, env: { ...run.env, ...scenario.env }, metrics })
      vus.add(vu)
      vu.tags = { ...scenario.tags, scenario: scenario.name }
      if (data !== null) vu.setData(data)
      return vu
    }
    const initial = new Map<Scenario, ReadonlyArray<Vu>>()
    for (const scenario of plan.scenarios) {
      initial.set(scenario, await inBatches(plannedVUs(scenario), initConcurrency, newVu(scenario)))
    }

    const stats: IterationStats = { completed: 0, failed: 0, interrupted: 0, errors: [] }
    const maxVus = new Map<string, number>()
    const testStart = performance.now()
    const cpuStart = process.cpuUsage()
    await Promise.all(plan.scenarios.map(async (scenario) => {
      await delay(scenario.startTimeMs)
      const initialVus = initial.get(scenario)!
      let count = initialVus.length
      const more = newVu(scenario)
      await runScenario({
        scenario,
        initial: initialVus,
        newVu: () => more().then((vu) => (count++, vu)),
        metrics,
        stats,
        log: run.log
      })
      maxVus.set(scenario.name, count)
    }))
    const durationMs = performance.now() - testStart
    const cpu = process.cpuUsage(cpuStart)

    let teardownFailure: ScriptError | TimeoutError | null = null
    if (has("teardown")) {
      main.tags = { group: "::teardown" }
      const outcome = await withTimeout(
        main.run({ exec: "teardown", withData: true, returnResult: false, iteration: 0, iterationInTest: 0, scenario: null }),
        plan.teardownTimeoutMs
      )
      if (outcome === "timeout") teardownFailure = new TimeoutError(`teardown() ran past teardownTimeout (${plan.teardownTimeoutMs}ms)`, 101)
      else if (outcome.kind === "interrupted") teardownFailure = new ScriptError("teardown() was interrupted")
      else if (outcome.error !== null) teardownFailure = new ScriptError(`teardown() threw: ${outcome.error}`)
    }

    const summary = summarize({
      script: run.scriptPath,
      baseUrl: run.baseUrl,
      durationMs,
      scenarios: plan.scenarios.map((s) => ({ name: s.name, executor: s.executor, vus: maxVus.get(s.name) ?? 0 })),
      metrics,
      stats,
      cpuMicros: cpu.user + cpu.system,
      thresholds: thresholds.map((t) => evaluate(t, metrics, durationMs / 1000))
    })
    return { summary, teardownFailure }
  } finally {
    await Promise.all([...vus].map((vu) => vu.stop()))
    closeConnections()
  }
}
