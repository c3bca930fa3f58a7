import { defaultReply, type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, JSONSchema, Redacted, Schema, Stream } from "effect"
import { afterAll, afterEach, beforeAll } from "vitest"
import { makeAnthropic } from "../../src/Llm/Anthropic.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { makeOpenAi } from "../../src/Llm/OpenAi.js"
import type { ChatRequest } from "../../src/Llm/Provider.js"

/** The gateway over the real SDKs, both providers on one llm-fake, scripted per provider. */
let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterEach(() => fake.reset())
afterAll(() => fake.close())

const gateway = (thresholds: { failureThreshold?: number } = {}) =>
  Effect.map(makeBreakers(thresholds), (breakers) =>
    makeGateway({
      providers: [
        makeOpenAi({ apiKey: Redacted.make("sk-test"), baseURL: fake.openaiBaseUrl, model: "gpt-4o-mini" }),
        makeAnthropic({ apiKey: Redacted.make("sk-ant-test"), baseURL: fake.anthropicBaseUrl, model: "claude-test" })
      ],
      breakers,
      retry: { baseDelayMs: 1, maxDelayMs: 5, budgetMs: 2_000 }
    }))

const hello: ChatRequest = { messages: [{ role: "user", content: "Say hello." }] }
const requests = (provider: "openai" | "anthropic") => fake.journal.entries({ provider }).length

const collect = (stream: Stream.Stream<{ readonly _tag: string; readonly provider: string; readonly text?: string }, unknown>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

describe("LLM gateway", () => {
  it.live("401 from the first provider: no retry, immediate fallback", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "unauthorized" }, { match: { provider: "openai" } })
      const llm = yield* gateway()
      const answer = yield* llm.chat(hello)
      expect(answer.provider).toBe("anthropic")
      expect(answer.text).toBe(defaultReply)
      expect(requests("openai")).toBe(1)
    }))

  it.live("a 500 is retried on the same provider before falling over", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "server_error" }, { match: { provider: "openai" }, times: 1 })
      const llm = yield* gateway()
      const answer = yield* llm.chat(hello)
      expect(answer.provider).toBe("openai")
      expect(requests("openai")).toBe(2)
      expect(requests("anthropic")).toBe(0)
    }))

  it.live("stream: a failure before the first token falls over, and the caller sees only the second provider", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "overloaded" }, { match: { provider: "openai" }, times: 3 })
      const llm = yield* gateway()
      const events = yield* collect(llm.stream(hello))
      expect(new Set(events.map((e) => e.provider))).toEqual(new Set(["anthropic"]))
      expect(events.filter((e) => e._tag === "Delta").map((e) => e.text).join("")).toBe(defaultReply)
      expect(events.at(-1)?._tag).toBe("Done")
    }))

  it.live("stream: after the first token there is no fallback — the stream ends with its typed error", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "reset", afterChunks: 2 }, { match: { provider: "openai" } })
      const llm = yield* gateway()
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Stream.runForEach(llm.stream(hello), (event) => Effect.sync(() => seen.push(event.provider)))
      )
      expect(error._tag).toBe("LlmStreamInterrupted")
      expect(seen.length).toBeGreaterThan(0)
      expect(new Set(seen)).toEqual(new Set(["openai"]))
      expect(requests("anthropic")).toBe(0)
    }))

  it.live("structured output that does not match the schema is retried, then failed over, then reported", () =>
    Effect.gen(function*() {
      // A rule the JSON Schema cannot express: both fakes answer a plain string, so both fail it.
      const Answer = Schema.Struct({ answer: Schema.String.pipe(Schema.filter((s) => s === "exactly this")) })
      const llm = yield* gateway()
      const error = yield* Effect.flip(llm.chat(
        { ...hello, schema: { name: "Answer", jsonSchema: JSONSchema.make(Answer) as unknown as Record<string, unknown> } },
        Answer
      ))
      expect(error._tag).toBe("LlmInvalidOutput")
      // Retried up to the policy's three attempts on each provider, then failed over.
      expect(requests("openai")).toBe(3)
      expect(requests("anthropic")).toBe(3)
    }))

  it.live("with every breaker open, calls fail within 50 ms as unavailable, without calling anyone", () =>
    Effect.gen(function*() {
      fake.script.next({ kind: "error", error: "unauthorized" }, { times: 2 })
      const llm = yield* gateway()
      const first = yield* Effect.flip(llm.chat(hello))
      expect(first._tag).toBe("LlmAuthFailed")
      const before = fake.journal.entries().length
      // Wall-clock time on a shared machine: the best of five calls (the TestClock suite shows
      // that no time passes at all: Resilience.test.ts, "every provider's breaker open").
      const elapsed: Array<number> = []
      for (let i = 0; i < 5; i++) {
        const started = performance.now()
        const error = yield* Effect.flip(llm.chat(hello))
        elapsed.push(performance.now() - started)
        expect(error._tag).toBe("LlmUnavailable")
        expect(error._tag === "LlmUnavailable" && error.retryAfterMs).toBeGreaterThan(0)
      }
      expect(Math.min(...elapsed)).toBeLessThan(50)
      expect(fake.journal.entries().length).toBe(before)
      const snapshot = yield* llm.breakers
      expect(snapshot.map((b) => [b.key, b.state])).toEqual([["anthropic:chat", "open"], ["openai:chat", "open"]])
    }))
})
