/**
 * The learner journey's hot path and its slow one, measured on the real server:
 *
 * - answer PUTs at maximum throughput (closed loop, 50 connections, each owning one of 50
 *   assessments) and at a constant 300 answers/s (open loop: latency counted from when each
 *   request was due, so a stall shows instead of slowing the sender), each beside bare
 *   node:http + pg doing the same upsert (bench/targets/rawAnswers.ts) in the same run, when
 *   DATABASE_URL is set; on PGlite the app's figures alone (the raw baseline needs `pg`).
 *   After every phase the stored answers are compared with the last acknowledged write of
 *   each question; every difference is a lost answer.
 * - time to quiz: `POST …/questions` on a new assessment with the offline provider, and with
 *   OpenAI on llm-fake answering after 300 ms, beside the OpenAI SDK making the same
 *   structured call directly (the provider's own time): the difference is our overhead
 *   (knowledge search, prompt, decoding, storing, HTTP).
 *
 * Budgets (printed, not asserted): p95 < 25 ms at 300 answers/s, 0 lost answers, throughput at
 * least 40% of the raw baseline. Run alone with `tsx bench/answers.ts`; `pnpm bench` runs it last.
 */
import { quizOutputName } from "@compilar/domain"
import { spawn, type ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { once } from "node:events"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import OpenAI from "openai"
import pg from "pg"
import { quizOutput } from "../src/Assessments/QuizWriter.js"
import { freePort } from "./ports.js"
import { treeCpuMs } from "./processStats.js"
import { median, percentile } from "./stats.js"

const serverRoot = fileURLToPath(new URL("..", import.meta.url))
const tsx = join(serverRoot, "node_modules/.bin/tsx")
const SECONDS = Number(process.env["BENCH_ANSWERS_SECONDS"] ?? process.env["BENCH_SECONDS"] ?? 5)
const ROUNDS = Number(process.env["BENCH_ANSWERS_ROUNDS"] ?? 3)
const CONNECTIONS = 50
const RATE = 300
const LEARNERS = 20
const ASSESSMENTS = 50
const QUIZZES = Number(process.env["BENCH_QUIZZES"] ?? 12)
const jwtSecret = "bench-signing-key-0123456789abcdefghijklmnopqrstuvwxyz"

// ── Processes ───────────────────────────────────────────────────────────────

interface Running {
  readonly url: string
  readonly child: ChildProcess
}

/** The environment without any LLM or database settings of the caller's shell. */
const cleanEnv = () => {
  const env = { ...process.env }
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "LLM_PROVIDERS", "DATABASE_URL", "REDIS_URL"]) {
    delete env[name]
  }
  return env
}

const launch = async (script: string, env: Record<string, string>, ready: (url: string) => Promise<boolean>) => {
  const port = await freePort()
  const child = spawn(tsx, [script], {
    cwd: serverRoot,
    env: { ...cleanEnv(), ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const url = `http://127.0.0.1:${port}`
  // A first start creates, migrates and seeds the database: minutes on a busy machine.
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`)
    if (await ready(url).catch(() => false)) return { url, child } satisfies Running
    await new Promise((r) => setTimeout(r, 200))
  }
  child.kill("SIGKILL")
  throw new Error(`${script} did not come up`)
}

const stop = async (running: Running) => {
  if (running.child.exitCode !== null) return
  running.child.kill("SIGTERM")
  await once(running.child, "exit")
}

const appEnv = (database: Database, extra: Record<string, string> = {}): Record<string, string> => ({
  ...database.env,
  AUTH_JWT_SECRET: jwtSecret,
  ACCESS_LOG: "false",
  LOG_LEVEL: "Warn",
  LLM_PROVIDERS: "offline",
  EMBEDDINGS: "offline",
  // Measure the write path, not the rate limiter refusing the load.
  RATE_LIMIT_GENERAL_PER_MINUTE: "1000000000",
  RATE_LIMIT_AI_PER_MINUTE: "1000000000",
  RATE_LIMIT_SIGNIN_PER_MINUTE: "1000000000",
  RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: "1000000000",
  ...extra
})

const startApp = (database: Database, extra?: Record<string, string>) =>
  launch("src/main.ts", appEnv(database, extra), async (url) => (await fetch(`${url}/health`)).ok)

interface Database {
  readonly name: "postgres" | "pglite"
  readonly env: Record<string, string>
  readonly url: string | undefined
  readonly drop: () => Promise<void>
}

/** A fresh database on DATABASE_URL's server (dropped afterwards), or a PGlite data folder. */
const database = async (suffix: string): Promise<Database> => {
  const server = process.env["DATABASE_URL"]?.trim()
  if (server === undefined || server === "") {
    const dir = mkdtempSync(join(tmpdir(), `compilar-bench-answers-${suffix}-`))
    return { name: "pglite", env: { DATA_DIR: dir }, url: undefined, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `compilar_bench_${randomBytes(5).toString("hex")}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: server })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(server)
  url.pathname = `/${name}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  await client.query("create extension if not exists vector")
  await client.end()
  const dir = mkdtempSync(join(tmpdir(), `compilar-bench-answers-${suffix}-`))
  return {
    name: "postgres",
    env: { DATABASE_URL: url.toString(), DATA_DIR: dir },
    url: url.toString(),
    drop: async () => {
      rmSync(dir, { recursive: true, force: true })
      await admin(`drop database if exists ${name} with (force)`)
    }
  }
}

// ── The API, as a learner uses it ───────────────────────────────────────────

const api = async (url: string, method: string, path: string, token?: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
  return text === "" ? undefined : JSON.parse(text) as Record<string, unknown>
}

const signUp = async (url: string, name: string) => {
  const session = await api(url, "POST", "/api/v1/auth/signup", undefined, {
    email: `${name}.${randomBytes(4).toString("hex")}@example.com`,
    password: "Correct-horse-battery-9",
    displayName: name
  })
  return String(session!["accessToken"])
}

interface Slot {
  readonly token: string
  readonly assessment: string
  readonly question: string
}

/** 20 learners, 50 assessments with their quiz: 500 (assessment, question) slots. */
const setup = async (url: string) => {
  const tokens: Array<string> = []
  for (let i = 0; i < LEARNERS; i++) tokens.push(await signUp(url, `bench${i}`))
  const owned: Array<{ token: string; assessment: string; questions: Array<string> }> = []
  for (let i = 0; i < ASSESSMENTS; i++) {
    const token = tokens[i % LEARNERS]!
    const created = await api(url, "POST", "/api/v1/assessments", token, { draw: true })
    const id = String(created!["id"])
    const quiz = await api(url, "POST", `/api/v1/assessments/${id}/questions`, token)
    owned.push({ token, assessment: id, questions: (quiz!["questions"] as Array<{ id: string }>).map((q) => q.id) })
  }
  return owned
}

// ── Load ─────────────────────────────────────────────────────────────────────

interface Write {
  readonly slot: number
  readonly value: number
  /** ms, from when it was due (open loop) or sent (closed loop). */
  latency: number
  ok: boolean
  /** The HTTP status, or the network error's code. */
  outcome: string
}

const put = async (target: string, slot: Slot, value: number, write: Write) => {
  try {
    const response = await fetch(`${target}/api/v1/assessments/${slot.assessment}/answers/${slot.question}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${slot.token}`, "content-type": "application/json" },
      body: JSON.stringify({ value })
    })
    await response.arrayBuffer()
    write.ok = response.status === 200
    write.outcome = String(response.status)
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
    write.outcome = (cause as { code?: string }).code ?? String(cause)
  }
}

/** 50 workers back to back, each on its own assessment's ten questions. */
const closedLoop = async (target: string, owned: Awaited<ReturnType<typeof setup>>, seconds: number) => {
  const writes: Array<Write> = []
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(owned.slice(0, CONNECTIONS).map(async (a, worker) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const question = n % a.questions.length
      const write: Write = { slot: worker * 10 + question, value: ((n * 7 + worker) % 5) + 1, latency: 0, ok: false, outcome: "" }
      const t = performance.now()
      await put(target, { token: a.token, assessment: a.assessment, question: a.questions[question]! }, write.value, write)
      write.latency = performance.now() - t
      writes.push(write)
    }
  }))
  return { writes, seconds: (performance.now() - started) / 1000 }
}

/** A request every 1/RATE s whatever happens, cycling over the 500 slots; latency from when each was due. */
const openLoop = async (target: string, owned: Awaited<ReturnType<typeof setup>>, seconds: number) => {
  const slots = owned.flatMap((a) => a.questions.map((question) => ({ token: a.token, assessment: a.assessment, question })))
  const total = Math.round(RATE * seconds)
  const writes: Array<Write> = []
  const inFlight: Array<Promise<void>> = []
  const start = performance.now()
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    const write: Write = { slot: i % slots.length, value: ((i * 3) % 5) + 1, latency: 0, ok: false, outcome: "" }
    writes.push(write)
    inFlight.push(put(target, slots[write.slot]!, write.value, write).then(() => {
      write.latency = performance.now() - due
    }))
  }
  await Promise.all(inFlight)
  return { writes, seconds: (performance.now() - start) / 1000 }
}

/**
 * Answers acknowledged but not stored: for each slot, the last write sent (all writes to one
 * slot are sequential in both loops) must be the stored value when it was acknowledged.
 */
const lostAnswers = async (appUrl: string, owned: Awaited<ReturnType<typeof setup>>, writes: ReadonlyArray<Write>) => {
  const last = new Map<number, Write>()
  for (const write of writes) last.set(write.slot, write)
  let lost = 0
  for (const [index, a] of owned.entries()) {
    const detail = await api(appUrl, "GET", `/api/v1/assessments/${a.assessment}`, a.token)
    const stored = detail!["answers"] as Record<string, number>
    a.questions.forEach((question, q) => {
      const write = last.get(index * 10 + q)
      if (write?.ok === true && stored[question] !== write.value) lost++
    })
  }
  return lost
}

interface LoadFigures {
  readonly rps: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly errors: number
  readonly lost: number
  /** The server process's CPU time per acknowledged answer: a cost that a busy machine distorts less than latency. */
  readonly cpuMsPerAnswer: number
  /** Failed requests by status or error code. */
  readonly failures: Readonly<Record<string, number>>
}

const figures = (run: { writes: ReadonlyArray<Write>; seconds: number }, lost: number, cpu: number): LoadFigures => {
  const sorted = run.writes.map((w) => w.latency).sort((a, b) => a - b)
  const acknowledged = run.writes.filter((w) => w.ok).length
  const failures: Record<string, number> = {}
  for (const w of run.writes) if (!w.ok) failures[w.outcome] = (failures[w.outcome] ?? 0) + 1
  return {
    rps: acknowledged / run.seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    errors: run.writes.length - acknowledged,
    lost,
    cpuMsPerAnswer: cpu / acknowledged,
    failures
  }
}

const medianFigures = (xs: ReadonlyArray<LoadFigures>): LoadFigures => {
  const mid = (k: "rps" | "p50" | "p95" | "p99" | "cpuMsPerAnswer") => median(xs.map((x) => x[k]))
  const failures: Record<string, number> = {}
  for (const x of xs) for (const [k, n] of Object.entries(x.failures)) failures[k] = (failures[k] ?? 0) + n
  return {
    rps: mid("rps"),
    p50: mid("p50"),
    p95: mid("p95"),
    p99: mid("p99"),
    errors: xs.reduce((n, x) => n + x.errors, 0),
    lost: xs.reduce((n, x) => n + x.lost, 0),
    cpuMsPerAnswer: mid("cpuMsPerAnswer"),
    failures
  }
}

// ── Time to quiz ─────────────────────────────────────────────────────────────

const timeToQuiz = async (url: string, token: string, count: number) => {
  const times: Array<number> = []
  for (let i = 0; i < count; i++) {
    const created = await api(url, "POST", "/api/v1/assessments", token, { draw: true })
    const t = performance.now()
    await api(url, "POST", `/api/v1/assessments/${String(created!["id"])}/questions`, token)
    times.push(performance.now() - t)
  }
  return times.sort((a, b) => a - b)
}

/** llm-fake in its own process (like a remote provider), answering after `latencyMs`. */
const startFake = async (latencyMs: number) => {
  const child = spawn(tsx, [join(serverRoot, "../llm-fake/src/main.ts")], {
    env: { ...process.env, LLM_FAKE_PORT: "0", LLM_FAKE_LATENCY_MS: String(latencyMs) },
    stdio: ["ignore", "pipe", "inherit"]
  })
  let output = ""
  const openaiBaseUrl = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`llm-fake exited with ${code}`)))
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString("utf8")
      const match = /OPENAI_BASE_URL=(\S+)/.exec(output)
      if (match?.[1] !== undefined) resolve(match[1])
    })
  })
  return { openaiBaseUrl, child }
}

/** The quiz through OpenAI on llm-fake, alternating with the SDK's own structured call of the same schema. */
const quizOverFake = async (db: Database, latencyMs: number, count: number) => {
  const fake = await startFake(latencyMs)
  const app = await startApp(db, {
    LLM_PROVIDERS: "openai",
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: fake.openaiBaseUrl
  })
  try {
    const token = await signUp(app.url, "quiz")
    const client = new OpenAI({ apiKey: "sk-bench", baseURL: fake.openaiBaseUrl, maxRetries: 0 })
    const direct: Array<number> = []
    const viaApp: Array<number> = []
    const { jsonSchema } = quizOutput("divsexp")
    await timeToQuiz(app.url, token, 1) // warm-up
    for (let i = 0; i < count; i++) {
      const t = performance.now()
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Write the quiz." }],
        response_format: { type: "json_schema", json_schema: { name: quizOutputName, schema: jsonSchema, strict: true } }
      })
      direct.push(performance.now() - t)
      viaApp.push(...await timeToQuiz(app.url, token, 1))
    }
    return { direct: direct.sort((a, b) => a - b), app: viaApp.sort((a, b) => a - b) }
  } finally {
    await stop(app)
    fake.child.kill("SIGTERM")
  }
}

// ── The bench ────────────────────────────────────────────────────────────────

export interface AnswersReport {
  readonly database: "postgres" | "pglite"
  readonly closed: { readonly app: LoadFigures; readonly raw: LoadFigures | undefined }
  readonly open: { readonly app: LoadFigures; readonly raw: LoadFigures | undefined }
  readonly quizOffline: ReadonlyArray<number>
  readonly quizFake: { readonly latencyMs: number; readonly direct: ReadonlyArray<number>; readonly app: ReadonlyArray<number> }
}

export const answersBench = async (): Promise<AnswersReport> => {
  const db = await database("load")
  const app = await startApp(db)
  let raw: Running | undefined
  try {
    const owned = await setup(app.url)
    if (db.url !== undefined) {
      raw = await launch("bench/targets/rawAnswers.ts", { DATABASE_URL: db.url, AUTH_JWT_SECRET: jwtSecret }, async (url) =>
        (await fetch(`${url}/`, { method: "PUT" })).status === 404)
    }
    const closed = { app: [] as Array<LoadFigures>, raw: [] as Array<LoadFigures> }
    const open = { app: [] as Array<LoadFigures>, raw: [] as Array<LoadFigures> }
    await closedLoop(app.url, owned, 1) // warm-up
    if (raw !== undefined) await closedLoop(raw.url, owned, 1)
    for (let round = 0; round < ROUNDS; round++) {
      for (const [side, target] of [["app", app], ["raw", raw]] as const) {
        if (target === undefined) continue
        let cpu = treeCpuMs(target.child.pid)
        const c = await closedLoop(target.url, owned, SECONDS)
        cpu = treeCpuMs(target.child.pid) - cpu
        closed[side].push(figures(c, await lostAnswers(app.url, owned, c.writes), cpu))
        cpu = treeCpuMs(target.child.pid)
        const o = await openLoop(target.url, owned, SECONDS)
        cpu = treeCpuMs(target.child.pid) - cpu
        open[side].push(figures(o, await lostAnswers(app.url, owned, o.writes), cpu))
      }
    }
    const quizOffline = await timeToQuiz(app.url, owned[0]!.token, QUIZZES)
    await stop(app)
    if (raw !== undefined) await stop(raw)
    const latencyMs = 300
    // The same database, reopened by an app whose provider is OpenAI on llm-fake.
    const fake = await quizOverFake(db, latencyMs, QUIZZES)
    return {
      database: db.name,
      closed: { app: medianFigures(closed.app), raw: raw === undefined ? undefined : medianFigures(closed.raw) },
      open: { app: medianFigures(open.app), raw: raw === undefined ? undefined : medianFigures(open.raw) },
      quizOffline,
      quizFake: { latencyMs, ...fake }
    }
  } finally {
    await stop(app)
    if (raw !== undefined) await stop(raw)
    await db.drop()
  }
}

const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`

const line = (name: string, f: LoadFigures, base?: LoadFigures) =>
  `${name.padEnd(30)} ${f.rps.toFixed(0).padStart(6)} answers/s  p50 ${ms(f.p50)}  p95 ${ms(f.p95)}  p99 ${ms(f.p99)}` +
  `  cpu ${f.cpuMsPerAnswer.toFixed(2)} ms/answer  errors ${f.errors}${
    f.errors > 0 ? ` (${Object.entries(f.failures).map(([k, n]) => `${k}: ${n}`).join(", ")})` : ""
  }  lost ${f.lost}${base ? `  ratio ${(f.rps / base.rps).toFixed(2)}` : ""}`

export const printAnswers = (r: AnswersReport) => {
  console.log(`\nAnswer PUTs on ${r.database}: ${ROUNDS} alternating rounds of ${SECONDS} s, medians (errors and lost: totals)`)
  console.log(`closed loop, ${CONNECTIONS} connections:`)
  if (r.closed.raw) console.log(line("  raw node:http + pg", r.closed.raw))
  console.log(line("  compilar", r.closed.app, r.closed.raw))
  console.log(`open loop, ${RATE} answers/s (latency from when each was due):`)
  if (r.open.raw) console.log(line("  raw node:http + pg", r.open.raw))
  console.log(line("  compilar", r.open.app))
  if (r.closed.raw === undefined) console.log("  (raw baseline: set DATABASE_URL; it runs on pg only)")
  console.log(`\nTime to quiz (POST …/questions, ${r.quizOffline.length} sequential):`)
  console.log(`  offline provider                p50 ${ms(percentile(r.quizOffline, 50))}  p95 ${ms(percentile(r.quizOffline, 95))}`)
  const overhead = percentile(r.quizFake.app, 50) - percentile(r.quizFake.direct, 50)
  console.log(
    `  OpenAI on llm-fake (${r.quizFake.latencyMs} ms)       p50 ${ms(percentile(r.quizFake.app, 50))}  p95 ${ms(percentile(r.quizFake.app, 95))}` +
      `   the SDK's own call p50 ${ms(percentile(r.quizFake.direct, 50))}   overhead p50 ${ms(overhead)}`
  )
  const ratio = r.closed.raw === undefined ? undefined : r.closed.app.rps / r.closed.raw.rps
  console.log(
    `\nBudgets: p95 at ${RATE}/s < 25 ms: ${r.open.app.p95 < 25 ? "met" : "MISSED"} (${r.open.app.p95.toFixed(1)} ms); ` +
      `lost answers 0: ${r.open.app.lost + r.closed.app.lost === 0 ? "met" : "MISSED"}; ` +
      `throughput ≥ 0.40 of raw: ${ratio === undefined ? "not measured (PGlite)" : `${ratio >= 0.4 ? "met" : "MISSED"} (${ratio.toFixed(2)})`}`
  )
}

if (process.argv[1]?.endsWith("answers.ts")) {
  printAnswers(await answersBench())
}
