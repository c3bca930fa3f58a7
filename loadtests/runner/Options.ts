import { parseDuration } from "./Durations.js"
import { ConfigError } from "./Errors.js"

/**
 * The part of k6's `options` the runner implements, validated into a plan. Anything else is a
 * `ConfigError` naming the option: a scenario that silently ran differently under the runner
 * than under k6 would report figures that mean something else.
 */

interface ScenarioBase {
  readonly name: string
  readonly exec: string
  readonly env: Readonly<Record<string, string>>
  readonly tags: Readonly<Record<string, string>>
  readonly startTimeMs: number
  readonly gracefulStopMs: number
}

export interface RampingVus extends ScenarioBase {
  readonly executor: "ramping-vus"
  readonly startVUs: number
  readonly stages: ReadonlyArray<{ readonly durationMs: number; readonly target: number }>
  readonly gracefulRampDownMs: number
}

export interface ConstantArrivalRate extends ScenarioBase {
  readonly executor: "constant-arrival-rate"
  readonly rate: number
  readonly timeUnitMs: number
  readonly durationMs: number
  readonly preAllocatedVUs: number
  readonly maxVUs: number
}

export type Scenario = RampingVus | ConstantArrivalRate

export interface Plan {
  readonly scenarios: ReadonlyArray<Scenario>
  /** As written: parsed once the script's custom metrics are known (see Thresholds.ts). */
  readonly thresholds: Readonly<Record<string, ReadonlyArray<string>>>
  readonly setupTimeoutMs: number
  readonly teardownTimeoutMs: number
}

export const supportedExecutors = ["ramping-vus", "constant-arrival-rate"] as const

const commonKeys = ["executor", "exec", "env", "tags", "startTime", "gracefulStop"]
const executorKeys: Readonly<Record<Scenario["executor"], ReadonlyArray<string>>> = {
  "ramping-vus": ["startVUs", "stages", "gracefulRampDown"],
  "constant-arrival-rate": ["rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs"]
}
const topLevelKeys = ["scenarios", "thresholds", "setupTimeout", "teardownTimeout"]

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const onlyKeys = (value: Record<string, unknown>, allowed: ReadonlyArray<string>, where: string) => {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new ConfigError(`${where}.${key} is not supported by the Node runner (supported: ${allowed.join(", ")})`)
    }
  }
}

const integer = (value: unknown, where: string, min: number): number => {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`${where}: expected an integer of at least ${min}, got ${JSON.stringify(value)}`)
  }
  return value
}

const stringMap = (value: unknown, where: string): Readonly<Record<string, string>> => {
  if (value === undefined) return {}
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== "string")) {
    throw new ConfigError(`${where}: expected an object of strings`)
  }
  return value as Record<string, string>
}

const optionalDuration = (value: unknown, where: string, fallbackMs: number): number =>
  value === undefined ? fallbackMs : parseDuration(value, where)

const scenario = (name: string, raw: unknown): Scenario => {
  const where = `options.scenarios.${name}`
  if (!isRecord(raw)) throw new ConfigError(`${where}: expected an object`)
  const executor = raw["executor"]
  if (executor !== "ramping-vus" && executor !== "constant-arrival-rate") {
    throw new ConfigError(
      `${where}.executor ${JSON.stringify(executor)} is not supported by the Node runner (supported: ${supportedExecutors.join(", ")})`
    )
  }
  onlyKeys(raw, [...commonKeys, ...executorKeys[executor]], where)
  const exec = raw["exec"] ?? "default"
  if (typeof exec !== "string") throw new ConfigError(`${where}.exec: expected the name of an exported function`)
  const base: ScenarioBase = {
    name,
    exec,
    env: stringMap(raw["env"], `${where}.env`),
    tags: stringMap(raw["tags"], `${where}.tags`),
    startTimeMs: optionalDuration(raw["startTime"], `${where}.startTime`, 0),
    gracefulStopMs: optionalDuration(raw["gracefulStop"], `${where}.gracefulStop`, 30_000)
  }
  if (executor === "ramping-vus") {
    const stages = raw["stages"]
    if (!Array.isArray(stages) || stages.length === 0) {
      throw new ConfigError(`${where}.stages: expected at least one { duration, target }`)
    }
    return {
      ...base,
      executor,
      startVUs: raw["startVUs"] === undefined ? 1 : integer(raw["startVUs"], `${where}.startVUs`, 0),
      stages: stages.map((stage: unknown, i) => {
        const at = `${where}.stages[${i}]`
        if (!isRecord(stage)) throw new ConfigError(`${at}: expected { duration, target }`)
        onlyKeys(stage, ["duration", "target"], at)
        return { durationMs: parseDuration(stage["duration"], `${at}.duration`), target: integer(stage["target"], `${at}.target`, 0) }
      }),
      gracefulRampDownMs: optionalDuration(raw["gracefulRampDown"], `${where}.gracefulRampDown`, 30_000)
    }
  }
  if (raw["duration"] === undefined) throw new ConfigError(`${where}.duration is required`)
  const preAllocatedVUs = integer(raw["preAllocatedVUs"], `${where}.preAllocatedVUs`, 0)
  const maxVUs = raw["maxVUs"] === undefined ? preAllocatedVUs : integer(raw["maxVUs"], `${where}.maxVUs`, 1)
  if (maxVUs < preAllocatedVUs) throw new ConfigError(`${where}.maxVUs must be at least preAllocatedVUs`)
  const timeUnitMs = optionalDuration(raw["timeUnit"], `${where}.timeUnit`, 1_000)
  if (timeUnitMs <= 0) throw new ConfigError(`${where}.timeUnit must be positive`)
  return {
    ...base,
    executor,
    rate: integer(raw["rate"], `${where}.rate`, 1),
    timeUnitMs,
    durationMs: parseDuration(raw["duration"], `${where}.duration`),
    preAllocatedVUs,
    maxVUs
  }
}

/** `options` as the script exported it (an object, or undefined when it exports none). */
export const planOf = (options: unknown): Plan => {
  if (!isRecord(options)) {
    throw new ConfigError("export const options = { scenarios: { … } }: the Node runner needs explicit scenarios")
  }
  onlyKeys(options, topLevelKeys, "options")
  const scenarios = options["scenarios"]
  if (!isRecord(scenarios) || Object.keys(scenarios).length === 0) {
    throw new ConfigError("options.scenarios: the Node runner needs at least one scenario (shortcuts like vus/duration are not supported)")
  }
  const thresholds = options["thresholds"] ?? {}
  if (!isRecord(thresholds)) throw new ConfigError("options.thresholds: expected an object")
  for (const [metric, list] of Object.entries(thresholds)) {
    if (!Array.isArray(list) || list.some((t) => typeof t !== "string")) {
      throw new ConfigError(
        `options.thresholds[${JSON.stringify(metric)}]: expected an array of strings (the object form with abortOnFail is not supported)`
      )
    }
  }
  return {
    scenarios: Object.entries(scenarios).map(([name, raw]) => scenario(name, raw)),
    thresholds: thresholds as Record<string, ReadonlyArray<string>>,
    setupTimeoutMs: optionalDuration(options["setupTimeout"], "options.setupTimeout", 60_000),
    teardownTimeoutMs: optionalDuration(options["teardownTimeout"], "options.teardownTimeout", 60_000)
  }
}

/** The VUs a scenario initializes before it starts (k6 initializes these up front too). */
export const plannedVUs = (s: Scenario): number =>
  s.executor === "ramping-vus" ? Math.max(s.startVUs, ...s.stages.map((stage) => stage.target)) : s.preAllocatedVUs
