/**
 * The LLM gateway's overhead: the same streamed chat completion read through the gateway
 * (`Llm.Live`: breaker, retry policy, fallback bookkeeping, the OpenAI provider's own SSE
 * reading, telemetry) and through the OpenAI SDK directly, both against one `llm-fake` in this
 * child process (its own event loop, like a remote provider) with a fixed latency and token rate. Alternating batches, `concurrency` streams at a
 * time; times to the first text delta and to the end of the stream, as the caller sees them.
 * Added latency is the gateway's percentile minus the SDK's. Budget: under 2 ms p50 added.
 *
 * Run alone with `tsx bench/llm.ts`; `pnpm bench` runs it after the HTTP figures.
 */
import { tokenize } from "@compilar/llm-fake"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { availableParallelism, loadavg } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ConfigProvider, Effect, Layer, Logger, LogLevel, ManagedRuntime, Stream } from "effect"
import OpenAI from "openai"
import { Llm } from "../src/Llm.js"
import { percentileOf } from "./stats.js"

export interface LlmBenchOptions {
  /** Streamed requests per side (default 200, `BENCH_LLM_REQUESTS`). */
  readonly requests?: number
  /** Streams in flight at a time (default 10). */
  readonly concurrency?: number
  /** Streamed requests per side, one at a time (default 12). */
  readonly sequential?: number
  /** The fake's delay before response headers (default 20 ms). */
  readonly latencyMs?: number
  /**
   * The fake's token rate (default 200 tokens/s, `BENCH_LLM_TOKENS_PER_SECOND`). Real models stream
   * 50–200; far above that, 10 streams in one process with the fake are CPU-bound and the figures
   * measure the machine's saturation, not the gateway.
   */
  readonly tokensPerSecond?: number
}

interface Timing {
  /** ms from the call to the first text delta. */
  readonly first: number
  /** ms from the call to the end of the stream (after its terminator). */
  readonly last: number
}

export interface LlmBenchReport {
  /**
   * The machine's 1-minute load average at the start and the end, and its cores: every figure
   * here is CPU time on the callers' side turned into latency, so a busy machine inflates the
   * added latency roughly by the load per core (read the CPU per stream too).
   */
  readonly load: { readonly start: number; readonly end: number; readonly cores: number }
  readonly latencyMs: number
  readonly tokensPerSecond: number
  readonly tokens: number
  /** `concurrency` streams at a time, then one at a time (the per-call overhead without queueing). */
  readonly phases: ReadonlyArray<Phase>
}

interface Phase {
  readonly requests: number
  readonly concurrency: number
  readonly direct: { readonly first: Percentiles; readonly last: Percentiles }
  readonly gateway: { readonly first: Percentiles; readonly last: Percentiles }
  readonly errors: number
  /** CPU time of this process (the callers' side only) per stream. */
  readonly cpuMsPerStream: { readonly direct: number; readonly gateway: number }
}

interface Percentiles {
  readonly p50: number
  readonly p99: number
}

const percentiles = (xs: ReadonlyArray<number>): Percentiles => ({ p50: percentileOf(xs, 50), p99: percentileOf(xs, 99) })

/** A reply of about 45 tokens, so per-chunk costs show in the time to the last token. */
const reply = Array.from(
  { length: 3 },
  () => "Psychological safety lets a team speak up, admit mistakes and ask for help without fear."
).join(" ")

const serverRoot = fileURLToPath(new URL("..", import.meta.url))

/** `pnpm llm-fake` in a child process on a free port; resolves once it listens. */
const startFake = async (settings: { latencyMs: number; tokensPerSecond: number }) => {
  const child = spawn(join(serverRoot, "node_modules/.bin/tsx"), [join(serverRoot, "../llm-fake/src/main.ts")], {
    env: {
      ...process.env,
      LLM_FAKE_PORT: "0",
      LLM_FAKE_LATENCY_MS: String(settings.latencyMs),
      LLM_FAKE_TOKENS_PER_SECOND: String(settings.tokensPerSecond),
      LLM_FAKE_REPLY: reply
    },
    stdio: ["ignore", "pipe", "inherit"]
  })
  let output = ""
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`llm-fake exited with ${code}`)))
    child.stdout.on("data", (data: Buffer) => {
      output += data.toString("utf8")
      const match = /OPENAI_BASE_URL=(\S+)/.exec(output)
      if (match?.[1] !== undefined) resolve(match[1])
    })
  })
  const close = async () => {
    if (child.exitCode !== null) return
    child.kill("SIGTERM")
    await once(child, "exit")
  }
  return { openaiBaseUrl: url, close }
}

const prompt = [{ role: "user" as const, content: "What is psychological safety?" }]

/** `count` calls of `one`, `concurrency` at a time. */
const batch = async (count: number, concurrency: number, one: () => Promise<Timing>) => {
  const cpuBefore = process.cpuUsage()
  const timings: Array<Timing> = []
  let errors = 0
  let left = count
  const worker = async () => {
    while (left > 0) {
      left--
      try {
        timings.push(await one())
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const cpu = process.cpuUsage(cpuBefore)
  return { timings, errors, cpuMs: (cpu.user + cpu.system) / 1000 }
}

export const llmOverhead = async (options: LlmBenchOptions = {}): Promise<LlmBenchReport> => {
  const requests = options.requests ?? Number(process.env["BENCH_LLM_REQUESTS"] ?? 200)
  const concurrency = options.concurrency ?? 10
  const sequential = options.sequential ?? 12
  const latencyMs = options.latencyMs ?? 20
  const tokensPerSecond = options.tokensPerSecond ?? Number(process.env["BENCH_LLM_TOKENS_PER_SECOND"] ?? 200)
  const loadAtStart = loadavg()[0] ?? Number.NaN
  const fake = await startFake({ latencyMs, tokensPerSecond })
  const model = "gpt-4o-mini"

  const client = new OpenAI({ apiKey: "sk-bench", baseURL: fake.openaiBaseUrl, maxRetries: 0 })
  const direct = async (): Promise<Timing> => {
    const started = performance.now()
    let first = Number.NaN
    const stream = await client.chat.completions.create({
      model,
      messages: prompt,
      stream: true,
      stream_options: { include_usage: true }
    })
    for await (const chunk of stream) {
      if (Number.isNaN(first) && (chunk.choices[0]?.delta.content ?? "") !== "") first = performance.now() - started
    }
    return { first, last: performance.now() - started }
  }

  const runtime = ManagedRuntime.make(
    Llm.Live.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(
        new Map([
          ["OPENAI_API_KEY", "sk-bench"],
          ["OPENAI_BASE_URL", fake.openaiBaseUrl],
          ["OPENAI_MODEL", model],
          ["LLM_PROVIDERS", "openai,offline"]
        ])
      ))),
      Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))
    )
  )
  const gateway = (): Promise<Timing> => {
    const started = performance.now()
    return runtime.runPromise(Effect.gen(function*() {
      const llm = yield* Llm
      let first = Number.NaN
      let provider = ""
      yield* Stream.runForEach(llm.stream({ messages: prompt }), (event) =>
        Effect.sync(() => {
          provider = event.provider
          if (Number.isNaN(first) && event._tag === "Delta" && event.text !== "") first = performance.now() - started
        }))
      // A fallback to offline would not be a measurement of the gateway over OpenAI.
      if (provider !== "openai") throw new Error(`answered by ${provider}`)
      return { first, last: performance.now() - started }
    }))
  }

  /** Alternating batches of `requests` per side, `concurrency` at a time. */
  const phase = async (requests: number, concurrency: number): Promise<Phase> => {
    const rounds = 4
    const directTimings: Array<Timing> = []
    const gatewayTimings: Array<Timing> = []
    let errors = 0
    const cpuMs = { direct: 0, gateway: 0 }
    for (let round = 0; round < rounds; round++) {
      const size = Math.ceil(requests / rounds)
      const d = await batch(size, concurrency, direct)
      const g = await batch(size, concurrency, gateway)
      directTimings.push(...d.timings)
      gatewayTimings.push(...g.timings)
      errors += d.errors + g.errors
      cpuMs.direct += d.cpuMs
      cpuMs.gateway += g.cpuMs
    }
    const side = (timings: ReadonlyArray<Timing>) => ({
      first: percentiles(timings.map((t) => t.first)),
      last: percentiles(timings.map((t) => t.last))
    })
    return {
      requests: directTimings.length,
      concurrency,
      direct: side(directTimings),
      gateway: side(gatewayTimings),
      errors,
      cpuMsPerStream: { direct: cpuMs.direct / directTimings.length, gateway: cpuMs.gateway / gatewayTimings.length }
    }
  }

  try {
    // Warm both paths (connections, JIT), then alternate batches so drift hits both sides alike.
    await batch(concurrency * 2, concurrency, direct)
    await batch(concurrency * 2, concurrency, gateway)
    const phases = [await phase(requests, concurrency), await phase(sequential, 1)]
    return {
      load: { start: loadAtStart, end: loadavg()[0] ?? Number.NaN, cores: availableParallelism() },
      latencyMs,
      tokensPerSecond,
      tokens: tokenize(reply).length,
      phases
    }
  } finally {
    await runtime.dispose()
    await fake.close()
  }
}

const ms = (x: number) => `${x.toFixed(2).padStart(7)} ms`
const added = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(2)} ms`

export const printLlmOverhead = (r: LlmBenchReport) => {
  console.log(
    `\nLLM streaming, gateway (Llm.Live) vs the OpenAI SDK directly, llm-fake in a child process ` +
      `(${r.latencyMs} ms to headers, ${r.tokensPerSecond} tokens/s, ${r.tokens} tokens), alternating batches:`
  )
  const line = (name: string, p: Percentiles, base: Percentiles) =>
    `    ${name.padEnd(15)} direct p50 ${ms(base.p50)}  p99 ${ms(base.p99)}   gateway p50 ${ms(p.p50)}  p99 ${
      ms(p.p99)
    }   added p50 ${added(p.p50 - base.p50)}  p99 ${added(p.p99 - base.p99)}`
  for (const phase of r.phases) {
    console.log(`  ${phase.requests} streams per side, ${phase.concurrency} at a time:`)
    console.log(line("to first token", phase.gateway.first, phase.direct.first))
    console.log(line("to last token", phase.gateway.last, phase.direct.last))
    console.log(
      `    CPU per stream in the callers' process: direct ${phase.cpuMsPerStream.direct.toFixed(2)} ms, gateway ${
        phase.cpuMsPerStream.gateway.toFixed(2)
      } ms   errors ${phase.errors}`
    )
  }
  // Said only when it applies: a busy machine, not the gateway, is then part of the figure.
  const busy = Math.max(r.load.start, r.load.end) > r.load.cores
  console.log(
    `  Machine: ${r.load.cores} cores, 1-minute load average ${r.load.start.toFixed(1)} → ${r.load.end.toFixed(1)}` +
      (busy ? " (above the core count: other processes' CPU turns the gateway's extra CPU into extra latency)." : ".")
  )
  console.log("  Budget: under 2 ms p50 added.")
}

if (process.argv[1]?.endsWith("llm.ts")) {
  printLlmOverhead(await llmOverhead())
}
