import Anthropic from "@anthropic-ai/sdk"
import OpenAI from "openai"
import { describe, expect, it } from "vitest"
import { failure, user, useFake } from "./helpers.js"

const ctx = useFake()

const chat = (options: OpenAI.RequestOptions = {}) =>
  ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("hi") }, options)
const chatStream = () =>
  ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("hi"), stream: true, stream_options: { include_usage: true } })
const message = () => ctx.anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 64, messages: user("hi") })
const messageStream = () => ctx.anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 64, messages: user("hi"), stream: true })

/** Reads a stream to its end; returns the text seen and the error it ended with, if any. */
const drainOpenAi = async (stream: AsyncIterable<OpenAI.ChatCompletionChunk>) => {
  let text = ""
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ""
    return { text, error: undefined }
  } catch (error) {
    return { text, error }
  }
}
const drainAnthropic = async (stream: AsyncIterable<Anthropic.RawMessageStreamEvent>) => {
  let text = ""
  const types: Array<string> = []
  try {
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text
    }
    return { text, types, error: undefined }
  } catch (error) {
    return { text, types, error }
  }
}

describe("provider errors as the SDKs see them", () => {
  it("401 bad key: AuthenticationError with each provider's body", async () => {
    ctx.fake.script.next({ kind: "error", error: "unauthorized" }, { times: 2 })
    const openai = await failure(chat())
    expect(openai).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(openai).toMatchObject({ status: 401, code: "invalid_api_key", type: "invalid_request_error" })
    const anthropic = await failure(message())
    expect(anthropic).toBeInstanceOf(Anthropic.AuthenticationError)
    expect(anthropic).toMatchObject({ status: 401, type: "authentication_error" })
  })

  it("401 for a key outside the configured set", async () => {
    ctx.fake.configure({ apiKeys: ["sk-good"] })
    expect(await failure(chat())).toBeInstanceOf(OpenAI.AuthenticationError)
    const good = new OpenAI({ apiKey: "sk-good", baseURL: ctx.fake.openaiBaseUrl, maxRetries: 0 })
    const completion = await good.chat.completions.create({ model: "gpt-4o-mini", messages: user("hi") })
    expect(completion.choices[0]?.finish_reason).toBe("stop")
  })

  it("429: RateLimitError with retry-after visible", async () => {
    ctx.fake.script.next({ kind: "error", error: "rate_limited", retryAfterSeconds: 7 }, { times: 2 })
    const openai = await failure(chat())
    expect(openai).toBeInstanceOf(OpenAI.RateLimitError)
    expect(openai).toMatchObject({ status: 429, code: "rate_limit_exceeded" })
    expect((openai as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("7")
    expect((openai as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after-ms")).toBe("7000")
    const anthropic = await failure(message())
    expect(anthropic).toBeInstanceOf(Anthropic.RateLimitError)
    expect(anthropic).toMatchObject({ type: "rate_limit_error" })
    expect((anthropic as InstanceType<typeof Anthropic.RateLimitError>).headers.get("retry-after")).toBe("7")
  })

  it("OpenAI insufficient_quota: a 429 whose code says quota", async () => {
    ctx.fake.script.next({ kind: "error", error: "insufficient_quota" })
    const error = await failure(chat())
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect(error).toMatchObject({ code: "insufficient_quota", type: "insufficient_quota" })
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBeNull()
  })

  it("Anthropic 529 overloaded_error", async () => {
    ctx.fake.script.next({ kind: "error", error: "overloaded" })
    const error = await failure(message())
    expect(error).toBeInstanceOf(Anthropic.InternalServerError)
    expect(error).toMatchObject({ status: 529, type: "overloaded_error", message: expect.stringContaining("Overloaded") })
    expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^req_/)
  })

  it("500 and 503: InternalServerError", async () => {
    ctx.fake.script.next({ kind: "error", error: "server_error" })
    ctx.fake.script.next({ kind: "status", status: 503 })
    expect(await failure(chat())).toMatchObject({ status: 500, type: "server_error" })
    const unavailable = await failure(message())
    expect(unavailable).toBeInstanceOf(Anthropic.InternalServerError)
    expect(unavailable).toMatchObject({ status: 503, type: "api_error" })
  })

  it("any status, body and headers", async () => {
    ctx.fake.script.next({ kind: "status", status: 418, body: { error: { message: "teapot", type: "odd", code: "tea" } }, headers: { "x-extra": "1" } })
    const error = await failure(chat())
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(error).toMatchObject({ status: 418, code: "tea", message: "418 teapot" })
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("x-extra")).toBe("1")
  })
})

describe("timing faults", () => {
  it("delay before headers: the SDK's timeout fires", async () => {
    ctx.fake.script.next({ kind: "delayHeaders", ms: 2_000 })
    const error = await failure(chat({ timeout: 50 }))
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError)
    await ctx.fake.journal.waitFor((j) => j.last()?.outcome === "client-closed")
  })

  it("delay before the first token: headers and the opening event arrive first", async () => {
    ctx.fake.script.next({ kind: "delayFirstToken", ms: 250 })
    const started = Date.now()
    const stream = await messageStream()
    const headersAfter = Date.now() - started
    const iterator = stream[Symbol.asyncIterator]()
    expect((await iterator.next()).value).toMatchObject({ type: "message_start" })
    expect((await iterator.next()).value).toMatchObject({ type: "content_block_start" })
    const beforeToken = Date.now()
    expect((await iterator.next()).value).toMatchObject({ type: "content_block_delta" })
    expect(Date.now() - beforeToken).toBeGreaterThanOrEqual(200)
    expect(headersAfter).toBeLessThan(200)
    stream.controller.abort()
  })

  it("token rate paces the stream", async () => {
    ctx.fake.configure({ tokensPerSecond: 400 }) // 2.5 ms between tokens, 16 tokens
    const started = Date.now()
    const { text } = await drainOpenAi(await chatStream())
    expect(text.length).toBeGreaterThan(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
  })

  it("stall after N chunks: the client detects it with an idle timeout", async () => {
    ctx.fake.script.next({ kind: "stall", afterChunks: 2 })
    const stream = await chatStream()
    let text = ""
    let idle: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(idle)
      idle = setTimeout(() => stream.controller.abort(), 60)
    }
    arm()
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ""
      arm()
    }
    clearTimeout(idle)
    expect(stream.controller.signal.aborted).toBe(true)
    expect(text).toBe("Hello from")
    await ctx.fake.journal.waitFor((j) => j.last()?.durationMs !== undefined)
    expect(ctx.fake.journal.last()).toMatchObject({ outcome: "stalled", chunksSent: 2 })
  })
})

describe("broken streams", () => {
  it("in-band error after N chunks: the OpenAI stream throws an APIError", async () => {
    ctx.fake.script.next({ kind: "inBandError", afterChunks: 3, error: "server_error" })
    const { text, error } = await drainOpenAi(await chatStream())
    expect(text).toBe("Hello from llm-fake.")
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(error).toMatchObject({ type: "server_error", message: expect.stringContaining("The server had an error") })
  })

  it("in-band error after N chunks: the Anthropic stream throws on event: error", async () => {
    ctx.fake.script.next({ kind: "inBandError", afterChunks: 1 })
    const { text, error } = await drainAnthropic(await messageStream())
    expect(text).toBe("Hello")
    expect(error).toBeInstanceOf(Anthropic.APIError)
    expect(error).toMatchObject({ type: "overloaded_error", message: expect.stringContaining("Overloaded") })
  })

  it("socket reset before headers: APIConnectionError", async () => {
    ctx.fake.script.next({ kind: "reset" }, { times: 2 })
    expect(await failure(chat())).toBeInstanceOf(OpenAI.APIConnectionError)
    expect(await failure(message())).toBeInstanceOf(Anthropic.APIConnectionError)
    expect(ctx.fake.journal.entries({ outcome: "reset" })).toHaveLength(2)
  })

  it("socket reset after N chunks: the stream throws after the text so far", async () => {
    ctx.fake.script.next({ kind: "reset", afterChunks: 2 })
    const { text, error } = await drainAnthropic(await messageStream())
    expect(text).toBe("Hello from")
    expect(error).toBeInstanceOf(Error)
  })

  it("malformed line: the SDK fails to parse", async () => {
    ctx.fake.script.next({ kind: "malformed", afterChunks: 1 }, { times: 2 })
    const openai = await drainOpenAi(await chatStream())
    expect(openai.text).toBe("Hello")
    expect(openai.error).toBeInstanceOf(SyntaxError)
    const anthropic = await drainAnthropic(await messageStream())
    expect(anthropic.error).toBeInstanceOf(SyntaxError)
  })

  it("truncated: the stream ends cleanly without its terminator (no finish reason, no message_stop)", async () => {
    ctx.fake.script.next({ kind: "truncate", afterChunks: 4 }, { match: { provider: "anthropic" } })
    const { types, error } = await drainAnthropic(await messageStream())
    expect(error).toBeUndefined()
    expect(types).not.toContain("message_stop")
    expect(types.filter((t) => t === "content_block_delta")).toHaveLength(4)
  })
})

describe("scripting", () => {
  it("matches by provider, endpoint, model and stream, and applies `times` times", async () => {
    ctx.fake.script.add({ match: { provider: "anthropic", stream: false }, faults: [{ kind: "error", error: "overloaded" }], times: 2 })
    expect((await chat()).choices[0]?.finish_reason).toBe("stop")
    expect(await failure(message())).toMatchObject({ status: 529 })
    expect((await drainAnthropic(await messageStream())).error).toBeUndefined()
    expect(await failure(message())).toMatchObject({ status: 529 })
    expect((await message()).stop_reason).toBe("end_turn")
    expect(ctx.fake.script.rules).toEqual([])
  })

  it("by rate: reproducible from the seed", async () => {
    const run = async () => {
      ctx.fake.reset()
      ctx.fake.script.add({ faults: [{ kind: "error", error: "server_error" }], rate: 0.5 })
      const outcomes: Array<string> = []
      for (let i = 0; i < 12; i++) outcomes.push(await chat().then(() => "ok", () => "fail"))
      return outcomes
    }
    const first = await run()
    expect(first).toContain("ok")
    expect(first).toContain("fail")
    expect(await run()).toEqual(first)
  })

  it("per request, through the x-llm-fake-fault header; a text fault replaces the reply", async () => {
    const error = await failure(chat({ headers: { "x-llm-fake-fault": JSON.stringify({ kind: "error", error: "rate_limited", retryAfterSeconds: 2 }) } }))
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const completion = await chat({ headers: { "x-llm-fake-fault": JSON.stringify([{ kind: "text", text: "Custom answer." }]) } })
    expect(completion.choices[0]?.message.content).toBe("Custom answer.")
    expect(ctx.fake.journal.last()?.faults).toEqual([{ kind: "text", text: "Custom answer." }])
  })
})
