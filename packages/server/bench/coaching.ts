/**
 * Coaching's overhead: how much later the learner sees coaching text than the provider sends
 * its first token. The app runs as a child process (`src/main.ts`) against an `llm-fake`
 * OpenAI here, which waits a fixed time before the first token. For each completed assessment
 * (a fresh one each time: a stored run is replayed, not generated), one request at a time:
 * - time to the response's first byte (headers and the `retry:` line, sent once the
 *   assessment's results are read),
 * - time to the first `delta` event (after the knowledge search, the prompt and the gateway),
 * each beside the provider's own time to first token, read with the OpenAI SDK directly from
 * the same fake. Budget: the first coaching text under 20 ms after the provider's first token.
 *
 * Run alone with `tsx bench/coaching.ts`; `pnpm bench` runs it too.
 */
import { start as startFake } from "@compilar/llm-fake"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import OpenAI from "openai"
import { freePort } from "./ports.js"
import { percentileOf } from "./stats.js"

const serverRoot = fileURLToPath(new URL("..", import.meta.url))
const tsx = join(serverRoot, "node_modules/.bin/tsx")

export interface CoachingBenchReport {
  readonly runs: number
  readonly firstTokenDelayMs: number
  readonly provider: Percentiles
  readonly firstByte: Percentiles
  readonly firstDelta: Percentiles
  /** firstDelta − provider, per percentile. */
  readonly overhead: Percentiles
  readonly errors: number
}

interface Percentiles {
  readonly p50: number
  readonly p95: number
}

const percentiles = (xs: ReadonlyArray<number>): Percentiles => ({ p50: percentileOf(xs, 50), p95: percentileOf(xs, 95) })

const json = async (url: string, init: RequestInit & { readonly token?: string; readonly body?: string }) => {
  const response = await fetch(url, {
    ...init,
    headers: {
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...(init.token === undefined ? {} : { authorization: `Bearer ${init.token}` })
    }
  })
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`)
  return response.status === 204 ? undefined : await response.json() as Record<string, unknown>
}

/** Sign up, then complete `count` assessments through the API (quizzes written by the fake). */
const completedAssessments = async (api: string, count: number) => {
  const session = await json(`${api}/api/v1/auth/signup`, {
    method: "POST",
    body: JSON.stringify({ email: `bench.${Date.now()}@example.com`, password: "Correct-horse-battery-9", displayName: "Bench" })
  })
  const token = session!["accessToken"] as string
  const ids: Array<string> = []
  for (let i = 0; i < count; i++) {
    const created = await json(`${api}/api/v1/assessments`, { method: "POST", token, body: JSON.stringify({ draw: true }) })
    const id = created!["id"] as string
    const quiz = await json(`${api}/api/v1/assessments/${id}/questions`, { method: "POST", token })
    for (const [n, q] of (quiz!["questions"] as Array<{ id: string }>).entries()) {
      await json(`${api}/api/v1/assessments/${id}/answers/${q.id}`, {
        method: "PUT",
        token,
        body: JSON.stringify({ value: (n % 5) + 1 })
      })
    }
    await json(`${api}/api/v1/assessments/${id}/complete`, { method: "POST", token })
    ids.push(id)
  }
  return { token, ids }
}

/** ms to the first byte and to the first `event: delta`, reading the stream to its end. */
const readCoaching = async (api: string, token: string, id: string) => {
  const started = performance.now()
  const response = await fetch(`${api}/api/v1/assessments/${id}/coaching`, { headers: { authorization: `Bearer ${token}` } })
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let firstByte: number | undefined
  let firstDelta: number | undefined
  let text = ""
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    firstByte ??= performance.now() - started
    text += decoder.decode(value, { stream: true })
    if (firstDelta === undefined && text.includes("event: delta")) firstDelta = performance.now() - started
  }
  return { firstByte: firstByte ?? Number.NaN, firstDelta: firstDelta ?? Number.NaN, ok: text.includes("event: done") }
}

export const coachingOverhead = async (options: { readonly runs?: number; readonly firstTokenDelayMs?: number } = {}) => {
  const runs = options.runs ?? Number(process.env["BENCH_COACHING_RUNS"] ?? 20)
  const firstTokenDelayMs = options.firstTokenDelayMs ?? 200
  const fake = await startFake({ port: 0, tokensPerSecond: 200 })
  const dataDir = mkdtempSync(join(tmpdir(), "compilar-bench-coaching-"))
  const port = await freePort()
  const child = spawn(tsx, ["src/main.ts"], {
    cwd: serverRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      REDIS_URL: "",
      OPENAI_API_KEY: "sk-bench",
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      LLM_PROVIDERS: "openai",
      EMBEDDINGS: "offline",
      ACCESS_LOG: "false",
      LOG_LEVEL: "Error",
      RATE_LIMIT_AI_PER_MINUTE: "100000",
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
      RATE_LIMIT_SIGNIN_PER_MINUTE: "100000"
    },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const api = `http://127.0.0.1:${port}`
  try {
    for (let up = false, deadline = Date.now() + 90_000; !up;) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error("the app did not start")
      up = await fetch(`${api}/health`).then((r) => r.ok, () => false)
      if (!up) await new Promise((r) => setTimeout(r, 250))
    }
    const { token, ids } = await completedAssessments(api, runs + 2)
    // From here on every streamed completion waits before its first token, like a model thinking.
    fake.script.add({ match: { provider: "openai", endpoint: "chat", stream: true }, faults: [{ kind: "delayFirstToken", ms: firstTokenDelayMs }], rate: 1 })

    const sdk = new OpenAI({ apiKey: "sk-bench", baseURL: fake.openaiBaseUrl, maxRetries: 0 })
    const direct = async () => {
      const started = performance.now()
      const stream = await sdk.chat.completions.create({
        model: "gpt-4o-mini",
        stream: true,
        messages: [{ role: "user", content: "Write my coaching." }]
      })
      let first: number | undefined
      for await (const chunk of stream) if (first === undefined && chunk.choices[0]?.delta.content) first = performance.now() - started
      return first ?? Number.NaN
    }

    // Warm both paths, then alternate: provider directly, then the app.
    await direct()
    await readCoaching(api, token, ids[0]!)
    await readCoaching(api, token, ids[1]!)
    const provider: Array<number> = []
    const firstByte: Array<number> = []
    const firstDelta: Array<number> = []
    let errors = 0
    for (const id of ids.slice(2)) {
      provider.push(await direct())
      const timing = await readCoaching(api, token, id)
      if (!timing.ok) errors++
      firstByte.push(timing.firstByte)
      firstDelta.push(timing.firstDelta)
    }
    const p = percentiles(provider)
    const d = percentiles(firstDelta)
    const report: CoachingBenchReport = {
      runs,
      firstTokenDelayMs,
      provider: p,
      firstByte: percentiles(firstByte),
      firstDelta: d,
      overhead: { p50: d.p50 - p.p50, p95: d.p95 - p.p95 },
      errors
    }
    return report
  } finally {
    child.kill("SIGTERM")
    await new Promise((r) => child.once("exit", r))
    await fake.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export const printCoachingOverhead = (r: CoachingBenchReport) => {
  const ms = (x: Percentiles) => `p50 ${x.p50.toFixed(1)} ms  p95 ${x.p95.toFixed(1)} ms`
  console.log(`\nCoaching (GET /api/v1/assessments/:id/coaching), ${r.runs} fresh runs one at a time, fake OpenAI waiting ${r.firstTokenDelayMs} ms before its first token`)
  console.log(`  provider's first token (SDK directly)  ${ms(r.provider)}`)
  console.log(`  coaching first byte                    ${ms(r.firstByte)}`)
  console.log(`  coaching first text (delta event)      ${ms(r.firstDelta)}`)
  console.log(
    `  overhead to first text                 p50 ${r.overhead.p50.toFixed(1)} ms  p95 ${r.overhead.p95.toFixed(1)} ms  errors ${r.errors}` +
      `   (budget: p50 < 20 ms: ${r.overhead.p50 < 20 ? "met" : "NOT met"})`
  )
}

if (import.meta.url === `file://${process.argv[1]}`) printCoachingOverhead(await coachingOverhead())
