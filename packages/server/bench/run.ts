/**
 * `pnpm bench`: throughput and latency of the real server against bare node:http doing
 * the same work, measured side by side in one run (alternating rounds, medians), plus
 * resident memory; authenticated `GET /api/v1/auth/me` against `/health` with the verified-token
 * cache's hit rate (bench/me.ts); knowledge search latency and HNSW recall (bench/search.ts); then the
 * LLM gateway's streaming overhead over the OpenAI SDK (bench/llm.ts); answer PUTs and time to
 * quiz (bench/answers.ts).
 * Prints a table; targets are budgets, not assertions.
 *
 * `pnpm bench` runs every part; `pnpm bench http search` only the parts named
 * (http, search, llm, answers, coaching).
 */
import autocannon from "autocannon"
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { answersBench, printAnswers } from "./answers.js"
import { coachingOverhead, printCoachingOverhead } from "./coaching.js"
import { llmOverhead, printLlmOverhead } from "./llm.js"
import { describeMachine } from "./machine.js"
import { benchOperatorEmail, meHitRate, meSetup, printMe } from "./me.js"
import { printSearchBench, searchBench } from "./search.js"
import { freePort } from "./ports.js"
import { treeCpuMs, treeRssMb } from "./processStats.js"
import { median } from "./stats.js"

const serverRoot = fileURLToPath(new URL("..", import.meta.url))
const tsx = join(serverRoot, "node_modules/.bin/tsx")
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 5)
const CONNECTIONS = Number(process.env["BENCH_CONNECTIONS"] ?? 20)
/** Extra short /health–/me pairs for the /me ratio, and how long each half runs (see printMe). */
const ME_PAIRS = Number(process.env["BENCH_ME_PAIRS"] ?? 24)
const ME_PAIR_SECONDS = Number(process.env["BENCH_ME_PAIR_SECONDS"] ?? 1)

interface Target {
  readonly name: string
  readonly script: string
  readonly env?: Record<string, string>
}

interface Running {
  readonly url: string
  readonly child: ChildProcess
}

const waitUntilUp = async (url: string, child: ChildProcess) => {
  // Embedded PGlite boots in seconds, but a minute or more on a loaded 2-core machine.
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`target exited with ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} did not come up`)
}

const start = async (target: Target): Promise<Running> => {
  const port = await freePort()
  const child = spawn(tsx, [target.script], {
    cwd: serverRoot,
    env: { ...process.env, ...target.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const url = `http://127.0.0.1:${port}`
  await waitUntilUp(url, child)
  return { url, child }
}

const stop = (running: Running) =>
  new Promise<void>((resolve) => {
    running.child.once("exit", () => resolve())
    running.child.kill("SIGTERM")
  })

interface Sample {
  readonly rps: number
  /** The server's CPU time (every process and thread of it) per request, in µs. */
  readonly cpuUs: number
  readonly p50: number
  readonly p99: number
  readonly rss: number
  readonly errors: number
}

const load = async (
  running: Running,
  path: string,
  headers: Record<string, string> = {},
  timing: { readonly seconds: number; readonly warmUp: boolean } = { seconds: SECONDS, warmUp: true }
): Promise<Sample> => {
  const options = { url: `${running.url}${path}`, connections: CONNECTIONS, headers }
  if (timing.warmUp) await autocannon({ ...options, duration: 1 })
  const cpuBefore = treeCpuMs(running.child.pid)
  const result = await autocannon({ ...options, duration: timing.seconds })
  return {
    rps: result.requests.average,
    cpuUs: ((treeCpuMs(running.child.pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    rss: treeRssMb(running.child.pid),
    errors: result.errors + result.non2xx
  }
}

const summarize = (samples: ReadonlyArray<Sample>): Sample => ({
  rps: median(samples.map((s) => s.rps)),
  cpuUs: median(samples.map((s) => s.cpuUs)),
  p50: median(samples.map((s) => s.p50)),
  p99: median(samples.map((s) => s.p99)),
  rss: Math.max(...samples.map((s) => s.rss)),
  errors: samples.reduce((n, s) => n + s.errors, 0)
})

const row = (name: string, s: Sample, baseline?: Sample) =>
  `${name.padEnd(34)} ${s.rps.toFixed(0).padStart(8)} req/s  cpu ${s.cpuUs.toFixed(0).padStart(3)} µs/req  p50 ${String(s.p50).padStart(4)} ms  p99 ${
    String(s.p99).padStart(4)
  } ms  rss ${s.rss.toFixed(0).padStart(4)} MB  errors ${s.errors}${
    baseline ? `  ratio ${(s.rps / baseline.rps).toFixed(2)}` : ""
  }`

const parts = ["http", "search", "llm", "answers", "coaching"] as const
type Part = typeof parts[number]
const isPart = (name: string): name is Part => (parts as ReadonlyArray<string>).includes(name)
const chosen = (): ReadonlySet<Part> => {
  const named = process.argv.slice(2).filter((arg) => arg !== "--")
  const unknown = named.filter((name) => !isPart(name))
  if (unknown.length > 0) throw new Error(`Unknown bench part ${unknown.join(", ")}: choose from ${parts.join(", ")}`)
  return new Set(named.length === 0 ? parts : named.filter(isPart))
}

const httpBench = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "compilar-bench-"))
  const raw: Target = { name: "raw node:http GET /health", script: "bench/targets/rawHealth.ts" }
  const app: Target = {
    name: "compilar GET /health",
    script: "src/main.ts",
    env: {
      // Embedded defaults like the bare baseline, whatever DATABASE_URL and REDIS_URL say (search
      // and answers use the database; with REDIS_URL every request's rate-limit count is a Redis
      // round trip, ≈ 40 µs of the server's CPU, as much as a whole /health).
      DATABASE_URL: "",
      REDIS_URL: "",
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env["LOG_LEVEL"] ?? "Info",
      OPERATOR_EMAILS: benchOperatorEmail,
      // One learner sends every /me: measure authentication, not the general limit refusing them.
      RATE_LIMIT_GENERAL_PER_MINUTE: "1000000000"
    }
  }
  const rawRunning = await start(raw)
  const appRunning = await start(app)

  const rawSamples: Array<Sample> = []
  const appSamples: Array<Sample> = []
  const platformSamples: Array<Sample> = []
  const meSamples: Array<Sample> = []
  let hitRate: Awaited<ReturnType<typeof meHitRate>>
  try {
    const tokens = await meSetup(appRunning.url)
    const meHeaders = { authorization: `Bearer ${tokens.learner}` }
    hitRate = await meHitRate(appRunning.url, tokens)
    for (let round = 0; round < ROUNDS; round++) {
      rawSamples.push(await load(rawRunning, "/health"))
      appSamples.push(await load(appRunning, "/health"))
      // Right after /health, so that both see the same machine.
      meSamples.push(await load(appRunning, "/api/v1/auth/me", meHeaders))
      // A query string is not a fast-route match: the same handler through HttpApi's own path.
      platformSamples.push(await load(appRunning, "/health?path=platform"))
    }
    // This machine's speed drifts by a quarter, sometimes by half, within seconds: many short
    // pairs, in alternating order (health first, then /me first), so that drift cancels in
    // their ratios and the median sees enough pairs that the machine held still for.
    const short = { seconds: ME_PAIR_SECONDS, warmUp: false } as const
    for (let pair = 0; pair < ME_PAIRS; pair++) {
      if (pair % 2 === 0) {
        appSamples.push(await load(appRunning, "/health", {}, short))
        meSamples.push(await load(appRunning, "/api/v1/auth/me", meHeaders, short))
      } else {
        const me = await load(appRunning, "/api/v1/auth/me", meHeaders, short)
        appSamples.push(await load(appRunning, "/health", {}, short))
        meSamples.push(me)
      }
    }
  } finally {
    await Promise.all([stop(rawRunning), stop(appRunning)])
    rmSync(dataDir, { recursive: true, force: true })
  }
  const rawSummary = summarize(rawSamples)
  console.log(`\n${ROUNDS} alternating rounds of ${SECONDS} s, ${CONNECTIONS} connections, medians\n`)
  console.log(row(raw.name, rawSummary))
  console.log(row(app.name, summarize(appSamples), rawSummary))
  console.log(row("compilar GET /health via HttpApi", summarize(platformSamples), rawSummary))
  console.log("\nBudget: compilar GET /health ≥ 0.35 of raw node:http (README, Performance).")
  printMe({ me: meSamples, health: appSamples }, summarize, hitRate, row)
}

const main = async () => {
  const run = chosen()
  console.log(describeMachine("before"))
  if (run.has("http")) await httpBench()
  // Its own servers and databases (PGlite, and PostgreSQL with DATABASE_URL): bench/search.ts.
  if (run.has("search")) printSearchBench(await searchBench())
  if (run.has("llm")) printLlmOverhead(await llmOverhead())
  // Its own servers: answer PUTs beside raw node:http + pg, and time to quiz (bench/answers.ts).
  if (run.has("answers")) printAnswers(await answersBench())
  if (run.has("coaching")) printCoachingOverhead(await coachingOverhead())
  console.log(`\n${describeMachine("after")}`)
}

await main()
