import { describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync } from "node:fs"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { repositoryRoot } from "../support/SpawnedApp.js"

/**
 * The load-test scenarios (loadtests/journey.js, answers.js), tiny, through `pnpm loadtest`'s own
 * entry point against a live server it starts and stops itself: every check passes, no request
 * fails, no answer is lost, every threshold is evaluated. On PGlite, and on PostgreSQL when
 * DATABASE_URL is set. Latency budgets may fail on a loaded machine: then the exit code must say so.
 */

const serverUrl = process.env["DATABASE_URL"]?.trim() || undefined

interface Run {
  readonly script: string
  readonly exitCode: number
  readonly summary: {
    readonly requests: { readonly count: number; readonly failed: number }
    readonly byName: ReadonlyArray<{ readonly name: string; readonly count: number }>
    readonly checks: { readonly passes: number; readonly fails: number }
    readonly iterations: { readonly completed: number; readonly failed: number; readonly interrupted: number; readonly dropped: number }
    readonly metrics: ReadonlyArray<{ readonly name: string; readonly value: number }>
    readonly thresholds: ReadonlyArray<{ readonly key: string; readonly expression: string; readonly actual: number | null; readonly ok: boolean }>
    readonly thresholdsOk: boolean
  }
}

interface Result {
  readonly code: number | null
  readonly output: string
  readonly json: { readonly server: { readonly started: boolean; readonly url: string; readonly dataDir: string }; readonly exitCode: number; readonly runs: ReadonlyArray<Run> }
}

const tiny = {
  JOURNEY_VUS: "2",
  JOURNEY_RAMP_S: "1",
  JOURNEY_HOLD_S: "2",
  JOURNEY_RAMP_DOWN_S: "1",
  THINK_TIME_S: "0",
  // 40 answers written twice: 80 writes in 4 s, 2 s apart for each answer. Enough VUs for the
  // arrivals of a 1 s stall of a busy machine, so that none is dropped.
  ANSWERS_RATE: "20",
  ANSWERS_DURATION_S: "4",
  ANSWERS_LEARNERS: "2",
  ANSWERS_ASSESSMENTS_PER_LEARNER: "2",
  ANSWERS_PREALLOCATED_VUS: "20",
  ANSWERS_MAX_VUS: "60",
  ANSWERS_REPLAY_EVERY: "5"
}

const loadtest = async (args: ReadonlyArray<string>): Promise<Result> => {
  const folder = await mkdtemp(join(tmpdir(), "compilar-loadtest-test-"))
  try {
    const summaryPath = join(folder, "summary.json")
    const env: Record<string, string> = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...tiny }
    const child = spawn(
      join(repositoryRoot, "packages/server/node_modules/.bin/tsx"),
      ["loadtests/run.ts", ...args, "--summary-json", summaryPath],
      { cwd: repositoryRoot, env, stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve))
    if (!existsSync(summaryPath)) throw new Error(`no summary (exit ${code}):\n${output}`)
    return { code, output, json: JSON.parse(await readFile(summaryPath, "utf8")) }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

const metric = (run: Run, name: string) => run.summary.metrics.find((m) => m.name === name)?.value

/** What every run must show, whatever the machine's load. */
const expectClean = (run: Run) => {
  expect(run.summary.checks.fails).toBe(0)
  expect(run.summary.checks.passes).toBeGreaterThan(0)
  expect(run.summary.requests.failed).toBe(0)
  expect(run.summary.iterations).toMatchObject({ failed: 0, interrupted: 0, dropped: 0 })
  expect(run.summary.iterations.completed).toBeGreaterThan(0)
  expect(run.summary.thresholds.length).toBeGreaterThan(0)
  for (const t of run.summary.thresholds) expect(t.actual, `${t.key}: ${t.expression}`).not.toBeNull()
  for (const key of ["http_req_failed", "checks"]) expect(run.summary.thresholds.find((t) => t.key === key)?.ok).toBe(true)
  expect(run.exitCode).toBe(run.summary.thresholdsOk ? 0 : 99)
}

const expectAnswersKept = (run: Run) => {
  expectClean(run)
  expect(metric(run, "answers_lost")).toBe(0)
  expect(metric(run, "answer_writes_acknowledged")).toBe(80)
  expect(run.summary.thresholds.find((t) => t.key === "answers_lost")?.ok).toBe(true)
}

const expectStopped = async (result: Result) => {
  expect(result.json.server.started).toBe(true)
  expect(existsSync(result.json.server.dataDir)).toBe(false)
  await expect(fetch(`${result.json.server.url}/health`)).rejects.toThrow()
}

describe("load-test scenarios against a live server", () => {
  it("journey and answers on PGlite, with the server the runner starts", async () => {
    const result = await loadtest(["journey", "answers"])
    const [journey, answers] = result.json.runs
    expect(result.json.runs.map((r) => r.script.replace(/.*\//, ""))).toEqual(["journey.js", "answers.js"])

    expectClean(journey!)
    expect(journey!.summary.byName.map((r) => r.name)).toEqual(
      ["signup", "create", "questions", "answer", "complete", "results", "coaching", "progress"]
    )
    // Each completed journey made 17 requests.
    expect(journey!.summary.requests.count).toBe(journey!.summary.iterations.completed * 17)

    expectAnswersKept(answers!)
    expect(result.code).toBe(result.json.exitCode)
    expect(result.json.exitCode).toBe(result.json.runs.every((r) => r.summary.thresholdsOk) ? 0 : 99)
    await expectStopped(result)
  }, 180_000)

  it.skipIf(serverUrl === undefined)("answers on PostgreSQL", async () => {
    const name = `compilar_test_${randomBytes(6).toString("hex")}`
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    try {
      const url = new URL(serverUrl!)
      url.pathname = `/${name}`
      const db = new pg.Client({ connectionString: url.toString() })
      await db.connect()
      await db.query("create extension if not exists vector")
      await db.end()

      const result = await loadtest(["answers", "--server-env", `DATABASE_URL=${url.toString()}`])
      expectAnswersKept(result.json.runs[0]!)
      expect(result.code).toBe(result.json.exitCode)
      await expectStopped(result)
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  }, 120_000)
})
