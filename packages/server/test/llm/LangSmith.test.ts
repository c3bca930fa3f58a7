import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { Clock, ConfigProvider, Effect, Layer, Redacted, Stream, TestClock } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, afterEach, beforeAll } from "vitest"
import { Llm } from "../../src/Llm.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { makeLangSmith } from "../../src/Llm/LangSmith.js"
import { makeOpenAi } from "../../src/Llm/OpenAi.js"
import type { ChatRequest } from "../../src/Llm/Provider.js"
import { nextTurn } from "./Wire.js"

/** A stand-in for the LangSmith API: records every request; answers 200, 500, or never. */
interface Recorded {
  readonly method: string
  readonly path: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: unknown
}
let mode: "ok" | "fail" | "hang" = "ok"
const received: Array<Recorded> = []
const hanging: Array<Http.ServerResponse> = []
const server = Http.createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on("data", (c: Buffer) => chunks.push(c))
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8")
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body })
    if (mode === "hang") return void hanging.push(res)
    res.writeHead(mode === "ok" ? 200 : 500, { "content-type": "application/json" })
    res.end(mode === "ok" ? "{}" : JSON.stringify({ detail: "boom" }))
  })
})
let endpoint = ""
let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(() => {
  fake.reset()
  mode = "ok"
  received.length = 0
  for (const res of hanging.splice(0)) res.destroy()
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await fake.close()
})

const hello: ChatRequest = { system: "Be brief.", messages: [{ role: "user", content: "Say hello." }] }
const runs = () => received.filter((r) => r.method === "POST" && r.path === "/runs")
interface RunBody {
  readonly [key: string]: unknown
  readonly id: string
  readonly error?: string | null
  readonly outputs?: { readonly usage_metadata?: unknown; readonly message?: { readonly content: string } }
}
const body = (r: Recorded | undefined) => r?.body as RunBody

/** Turns of the event loop (I/O callbacks run; no clock moves) until `done` holds. */
const until = (done: () => boolean) =>
  Effect.gen(function*() {
    for (let i = 0; i < 10_000 && !done(); i++) yield* nextTurn
    expect(done()).toBe(true)
  })

/** A gateway over llm-fake's OpenAI, reporting to LangSmith at the fake endpoint. */
const traced = (options: { timeoutMs?: number; concurrency?: number } = {}) =>
  Effect.gen(function*() {
    const langSmith = yield* makeLangSmith({
      apiKey: Redacted.make("lsv2-test"),
      endpoint,
      project: "compilar-test",
      ...options
    })
    const breakers = yield* makeBreakers()
    const llm = makeGateway({
      providers: [makeOpenAi({ apiKey: Redacted.make("sk-test"), baseURL: fake.openaiBaseUrl, model: "gpt-4o-mini" })],
      breakers,
      retry: { baseDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000 },
      observer: langSmith
    })
    return { llm, langSmith }
  })

describe("LangSmith runs", () => {
  it.scopedLive("a chat is posted as an llm run, with its messages, answer, usage and provider", () =>
    Effect.gen(function*() {
      const { langSmith, llm } = yield* traced()
      const answer = yield* llm.chat(hello)
      yield* langSmith.flush("5 seconds")
      expect(runs()).toHaveLength(1)
      const [run] = runs()
      expect(run?.headers["x-api-key"]).toBe("lsv2-test")
      expect(body(run)).toMatchObject({
        name: "Llm.chat",
        run_type: "llm",
        session_name: "compilar-test",
        inputs: { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Say hello." }] },
        outputs: {
          message: { role: "assistant", content: answer.text },
          finish_reason: "stop",
          usage_metadata: {
            input_tokens: answer.usage !== "unknown" ? answer.usage.inputTokens : -1,
            output_tokens: answer.usage !== "unknown" ? answer.usage.outputTokens : -1
          }
        },
        extra: { metadata: { ls_provider: "openai", ls_model_name: "gpt-4o-mini", attempts: 1, streaming: false } }
      })
      expect(body(run).error ?? undefined).toBeUndefined()
    }))

  it.scopedLive("a stream that broke: the run carries the error and usage \"unknown\", no usage_metadata", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "reset", afterChunks: 2 }, { match: { provider: "openai" } })
      const { langSmith, llm } = yield* traced()
      const error = yield* Effect.flip(Stream.runDrain(llm.stream(hello)))
      expect(error._tag).toBe("LlmStreamInterrupted")
      yield* langSmith.flush("5 seconds")
      const run = body(runs()[0])
      expect(run).toMatchObject({ name: "Llm.stream", extra: { metadata: { usage: "unknown", streaming: true } } })
      expect(run.error).toMatch(/^stream_interrupted: /)
      expect(run.outputs?.usage_metadata).toBeUndefined()
      expect(run.outputs?.message?.content.length).toBeGreaterThan(0)
    }))

  it.scopedLive("a LangSmith answering 500 fails no request", () =>
    Effect.gen(function*() {
      mode = "fail"
      const { langSmith, llm } = yield* traced({ timeoutMs: 1_000 })
      const first = yield* llm.chat(hello)
      const second = yield* llm.chat(hello)
      expect(first.text.length).toBeGreaterThan(0)
      expect(second.text).toBe(first.text)
      // Both tried (the client retries a 5xx itself, within the run's time bound).
      expect(runs().length).toBeGreaterThanOrEqual(1)
      yield* langSmith.flush("5 seconds")
      expect(new Set(runs().map((r) => body(r).id)).size).toBe(2)
      expect(yield* langSmith.pending).toBe(0)
    }))

  it.scoped("a LangSmith that never answers delays no request; its posts time out in the background (TestClock)", () =>
    Effect.gen(function*() {
      mode = "hang"
      const { langSmith, llm } = yield* traced({ timeoutMs: 3_000, concurrency: 6 })
      const before = yield* Clock.currentTimeMillis
      // With the clock standing still a post can never time out: had a call waited on one, it would hang here.
      for (let i = 0; i < 5; i++) yield* llm.chat(hello)
      const collected = yield* Stream.runCollect(llm.stream(hello))
      expect(collected.length).toBeGreaterThan(1)
      expect(yield* Clock.currentTimeMillis).toBe(before)
      yield* until(() => runs().length === 6)
      expect(yield* langSmith.pending).toBe(6)
      // The posts give up at timeoutMs, in the background.
      yield* TestClock.adjust(3_000)
      yield* until(() => Effect.runSync(langSmith.pending) === 0)
    }))

  it.scopedLive("an unreachable LangSmith fails no request", () =>
    Effect.gen(function*() {
      const langSmith = yield* makeLangSmith({
        apiKey: Redacted.make("lsv2-test"),
        endpoint: "http://127.0.0.1:1",
        project: "p",
        timeoutMs: 500
      })
      const llm = makeGateway({
        providers: [makeOpenAi({ apiKey: Redacted.make("sk-test"), baseURL: fake.openaiBaseUrl, model: "gpt-4o-mini" })],
        breakers: yield* makeBreakers(),
        observer: langSmith
      })
      expect((yield* llm.chat(hello)).text.length).toBeGreaterThan(0)
      yield* langSmith.flush("5 seconds")
      expect(yield* langSmith.pending).toBe(0)
    }))
})

describe("LangSmith from configuration", () => {
  const withEnv = (env: Record<string, string>) =>
    Llm.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))

  it.live("with LANGSMITH_API_KEY, runs go to LANGSMITH_ENDPOINT (posted before the layer closes)", () =>
    Effect.gen(function*() {
      yield* Effect.gen(function*() {
        const llm = yield* Llm
        const answer = yield* llm.chat({ messages: [{ role: "user", content: "What is psychological safety?" }] })
        expect(answer.provider).toBe("offline")
      }).pipe(Effect.provide(withEnv({ LANGSMITH_API_KEY: "lsv2-env", LANGSMITH_ENDPOINT: endpoint, LANGSMITH_PROJECT: "from-env" })))
      expect(runs()).toHaveLength(1)
      expect(runs()[0]?.headers["x-api-key"]).toBe("lsv2-env")
      expect(body(runs()[0])).toMatchObject({ session_name: "from-env", extra: { metadata: { ls_provider: "offline" } } })
    }))

  it.live("without LANGSMITH_API_KEY, nothing is posted", () =>
    Effect.gen(function*() {
      yield* Effect.gen(function*() {
        const llm = yield* Llm
        yield* llm.chat({ messages: [{ role: "user", content: "What is psychological safety?" }] })
      }).pipe(Effect.provide(withEnv({ LANGSMITH_ENDPOINT: endpoint })))
      expect(received).toHaveLength(0)
    }))
})
