import { setTimeout as delay } from "node:timers/promises"
import type { Metrics } from "./Metrics.js"
import type { ConstantArrivalRate, RampingVus, Scenario } from "./Options.js"
import type { ScenarioInfo, Tags } from "./Protocol.js"
import type { Vu } from "./Vu.js"

/**
 * The two k6 executors the scenarios use, scheduling iterations on VUs the way k6 does:
 *
 * - `ramping-vus`: VU i loops iterations while the stage-interpolated VU count exceeds i. A VU
 *   ramped down finishes its iteration within `gracefulRampDown`, and every VU its last one
 *   within `gracefulStop` after the stages end; past either it is interrupted.
 * - `constant-arrival-rate`: an iteration starts every `timeUnit / rate` on an idle VU, whatever
 *   the previous ones are doing. With none idle the iteration is dropped (`dropped_iterations`)
 *   and, below `maxVUs`, one more VU is initialized in the background, one at a time, as in k6.
 *   Iterations still running `gracefulStop` after `duration` are interrupted.
 *
 * An interrupted VU is a stopped worker (a thread blocked in a synchronous call cannot be told to
 * give up otherwise); a fresh one replaces it if the scenario needs it again.
 */

export interface IterationStats {
  completed: number
  /** Iterations that threw (k6 logs each and goes on). */
  failed: number
  interrupted: number
  /** The first errors, to print; the rest are counted. */
  readonly errors: Array<string>
}

export interface ScenarioRun {
  readonly scenario: Scenario
  /** The VUs initialized before the test started. */
  readonly initial: ReadonlyArray<Vu>
  /** Another VU for this scenario (init context run, setup data given). */
  readonly newVu: () => Promise<Vu>
  readonly metrics: Metrics
  readonly stats: IterationStats
  readonly log: (line: string) => void
}

const maxErrorsKept = 20
const pollMs = 20

/** Runs a scenario's iterations with its executor; resolves once every VU is done or stopped. */
export const runScenario = (run: ScenarioRun): Promise<void> => {
  const info: ScenarioInfo = { name: run.scenario.name, executor: run.scenario.executor, startTime: Date.now() }
  const tags: Tags = { ...run.scenario.tags, scenario: run.scenario.name }
  const perVu = new Map<Vu, number>()
  let iterationInTest = 0

  const iterate = async (vu: Vu): Promise<"done" | "interrupted"> => {
    const iteration = perVu.get(vu) ?? 0
    perVu.set(vu, iteration + 1)
    const outcome = await vu.run({
      exec: run.scenario.exec,
      withData: true,
      returnResult: false,
      iteration,
      iterationInTest: iterationInTest++,
      scenario: info
    })
    if (outcome.kind === "interrupted") {
      run.stats.interrupted++
      return "interrupted"
    }
    if (outcome.error === null) {
      run.stats.completed++
      run.metrics.add("iterations", 1, tags)
      run.metrics.add("iteration_duration", outcome.durationMs, tags)
    } else {
      run.stats.failed++
      if (run.stats.errors.length < maxErrorsKept) {
        run.stats.errors.push(outcome.error)
        run.log(`ERRO iteration of VU ${vu.id} (${run.scenario.name}) threw: ${outcome.error}`)
      }
    }
    return "done"
  }

  return run.scenario.executor === "ramping-vus"
    ? rampingVus(run, run.scenario, iterate)
    : constantArrivalRate(run, run.scenario, tags, iterate)
}

/** How many VUs the stages ask for `elapsed` ms in; 0 once they are over. */
export const activeVUs = (scenario: RampingVus, elapsed: number): number => {
  let from = scenario.startVUs
  let stageStart = 0
  for (const stage of scenario.stages) {
    if (elapsed < stageStart + stage.durationMs) {
      const value = from + (stage.target - from) * ((elapsed - stageStart) / stage.durationMs)
      return stage.target >= from ? Math.floor(value) : Math.ceil(value)
    }
    from = stage.target
    stageStart += stage.durationMs
  }
  return 0
}

const rampingVus = async (
  run: ScenarioRun,
  scenario: RampingVus,
  iterate: (vu: Vu) => Promise<"done" | "interrupted">
): Promise<void> => {
  const totalMs = scenario.stages.reduce((sum, stage) => sum + stage.durationMs, 0)
  const vus: Array<Vu | null> = [...run.initial]
  const start = performance.now()
  const elapsed = () => performance.now() - start

  const loop = async (index: number) => {
    while (elapsed() < totalMs) {
      if (index >= activeVUs(scenario, elapsed())) {
        await delay(pollMs)
        continue
      }
      const vu = vus[index] ?? (vus[index] = await run.newVu())
      let rampedDownAt: number | null = null
      const watchdog = setInterval(() => {
        const now = elapsed()
        if (now >= totalMs) {
          if (now >= totalMs + scenario.gracefulStopMs) void vu.stop()
        } else if (index >= activeVUs(scenario, now)) {
          rampedDownAt ??= now
          if (now - rampedDownAt >= scenario.gracefulRampDownMs) void vu.stop()
        } else {
          rampedDownAt = null
        }
      }, pollMs)
      const outcome = await iterate(vu).finally(() => clearInterval(watchdog))
      if (outcome === "interrupted") vus[index] = null
    }
  }
  await Promise.all(vus.map((_, index) => loop(index)))
}

const constantArrivalRate = async (
  run: ScenarioRun,
  scenario: ConstantArrivalRate,
  tags: Tags,
  iterate: (vu: Vu) => Promise<"done" | "interrupted">
): Promise<void> => {
  const idle: Array<Vu> = [...run.initial]
  const running = new Map<Vu, Promise<unknown>>()
  let initialized = idle.length
  let initializing: Promise<unknown> | null = null
  let initFailure: unknown = null
  const period = scenario.timeUnitMs / scenario.rate
  const planned = Math.ceil(scenario.durationMs / period)
  const start = performance.now()

  for (let k = 0; k < planned; k++) {
    const wait = start + k * period - performance.now()
    if (wait >= 1) await delay(wait)
    const vu = idle.pop()
    if (vu === undefined) {
      run.metrics.add("dropped_iterations", 1, tags)
      if (initializing === null && initialized < scenario.maxVUs) {
        initialized++
        initializing = run.newVu().then(
          (fresh) => idle.push(fresh),
          (error: unknown) => (initFailure = error)
        ).finally(() => (initializing = null))
      }
      continue
    }
    running.set(
      vu,
      iterate(vu).then((outcome) => {
        running.delete(vu)
        if (outcome === "done") idle.push(vu)
      })
    )
  }
  const stopAt = start + scenario.durationMs + scenario.gracefulStopMs
  await Promise.race([Promise.all([...running.values(), initializing]), delay(Math.max(0, stopAt - performance.now()))])
  await Promise.all([...running.keys()].map((vu) => vu.stop()))
  await initializing
  if (initFailure !== null) throw initFailure
}
