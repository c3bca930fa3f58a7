import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Option } from "effect"
import { afterAll, beforeAll } from "vitest"
import { Llm, providerOrder } from "../../src/Llm.js"

let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterAll(() => fake.close())

const withEnv = (env: Record<string, string>) =>
  Llm.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))))

describe("LLM_PROVIDERS", () => {
  it("defaults to the providers with keys, then offline", () => {
    expect(providerOrder(Option.none(), { openai: true, anthropic: true })).toEqual(Either.right(["openai", "anthropic", "offline"]))
    expect(providerOrder(Option.none(), { openai: false, anthropic: true })).toEqual(Either.right(["anthropic", "offline"]))
    expect(providerOrder(Option.none(), { openai: false, anthropic: false })).toEqual(Either.right(["offline"]))
  })

  it("takes an explicit order, and refuses unknown names or providers without keys", () => {
    expect(providerOrder(Option.some("anthropic, openai"), { openai: true, anthropic: true })).toEqual(Either.right(["anthropic", "openai"]))
    expect(Either.isLeft(providerOrder(Option.some("gemini"), { openai: true, anthropic: true }))).toBe(true)
    expect(Either.isLeft(providerOrder(Option.some("openai"), { openai: false, anthropic: true }))).toBe(true)
    expect(Either.isLeft(providerOrder(Option.some(" , "), { openai: true, anthropic: true }))).toBe(true)
  })

  it.live("with no key at all, the offline provider answers", () =>
    Effect.gen(function*() {
      const llm = yield* Llm
      const answer = yield* llm.chat({ messages: [{ role: "user", content: "What is psychological safety?" }] })
      expect(answer.provider).toBe("offline")
      expect(answer.text.length).toBeGreaterThan(0)
    }).pipe(Effect.provide(withEnv({}))))

  it.live("the configured order and the SDKs' own variables reach the real providers", () =>
    Effect.gen(function*() {
      fake.reset()
      const llm = yield* Llm
      const answer = yield* llm.chat({ messages: [{ role: "user", content: "Say hello." }] })
      expect(answer.provider).toBe("anthropic")
      expect(fake.journal.entries({ provider: "anthropic" })).toHaveLength(1)
      expect(fake.journal.entries({ provider: "openai" })).toHaveLength(0)
    }).pipe(Effect.provide(withEnv({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: fake.openaiBaseUrl,
      ANTHROPIC_API_KEY: "sk-ant-test",
      ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
      LLM_PROVIDERS: "anthropic,openai,offline"
    }))))

  it.live("a bad LLM_PROVIDERS stops the layer with a message naming the variable", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Effect.provide(Llm, withEnv({ LLM_PROVIDERS: "gemini" })))
      expect(String(error)).toContain("LLM_PROVIDERS")
      expect(String(error)).toContain("gemini")
    }))
})
