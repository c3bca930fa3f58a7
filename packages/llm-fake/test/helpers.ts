import Anthropic from "@anthropic-ai/sdk"
import OpenAI from "openai"
import { afterAll, afterEach, beforeAll } from "vitest"
import { type LlmFake, start, type StartOptions } from "../src/index.js"

/** One fake per test file, reset after each test; SDK clients built the way the server builds them. */
export const useFake = (options: StartOptions = {}) => {
  const ctx: { fake: LlmFake; openai: OpenAI; anthropic: Anthropic } = {} as never
  beforeAll(async () => {
    ctx.fake = await start(options)
    ctx.openai = new OpenAI({ apiKey: "sk-test", baseURL: ctx.fake.openaiBaseUrl, maxRetries: 0 })
    ctx.anthropic = new Anthropic({ apiKey: "sk-ant-test", baseURL: ctx.fake.anthropicBaseUrl, maxRetries: 0 })
  })
  afterEach(() => ctx.fake.reset())
  afterAll(() => ctx.fake.close())
  return ctx
}

export const user = (content: string) => [{ role: "user" as const, content }]

/** Rejects with what `promise` rejects with (fails when it resolves). */
export const failure = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error("expected a failure")
}
