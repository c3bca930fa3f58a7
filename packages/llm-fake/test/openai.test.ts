import OpenAI from "openai"
import { describe, expect, it } from "vitest"
import { defaultReply, embed, valueFor } from "../src/index.js"
import { user, useFake } from "./helpers.js"

const ctx = useFake()

describe("OpenAI contract (real SDK)", () => {
  it("answers a chat completion with the deterministic text, finish reason and usage", async () => {
    const completion = await ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("Say hello to the learner") })
    expect(completion.object).toBe("chat.completion")
    expect(completion.model).toBe("gpt-4o-mini")
    expect(completion.id).toMatch(/^chatcmpl-/)
    const choice = completion.choices[0]
    expect(choice?.message.content).toBe(defaultReply)
    expect(choice?.message.role).toBe("assistant")
    expect(choice?.finish_reason).toBe("stop")
    expect(completion.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 16, total_tokens: 22 })
  })

  it("streams the same text with include_usage: a final chunk with empty choices and usage, then [DONE]", async () => {
    const stream = await ctx.openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: user("Say hello to the learner"),
      stream: true,
      stream_options: { include_usage: true }
    })
    let text = ""
    const finish: Array<string> = []
    let usage: OpenAI.CompletionUsage | null | undefined
    let chunks = 0
    for await (const chunk of stream) {
      chunks++
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? ""
        if (choice.finish_reason !== null) finish.push(choice.finish_reason)
      }
      if (chunk.usage) {
        expect(chunk.choices).toEqual([])
        usage = chunk.usage
      }
    }
    expect(text).toBe(defaultReply)
    expect(finish).toEqual(["stop"])
    expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 16, total_tokens: 22 })
    expect(chunks).toBe(1 + 16 + 1 + 1)
    expect(ctx.fake.journal.last()).toMatchObject({ provider: "openai", endpoint: "chat", stream: true, outcome: "completed", chunksSent: 16 })
  })

  it("streams without usage unless asked, and the SDK's stream helper assembles the message", async () => {
    const runner = ctx.openai.chat.completions.stream({ model: "gpt-4o-mini", messages: user("hi") })
    const final = await runner.finalChatCompletion()
    expect(final.choices[0]?.message.content).toBe(defaultReply)
    expect(final.choices[0]?.finish_reason).toBe("stop")
    expect(final.usage ?? undefined).toBeUndefined()
  })

  it("cuts at max_completion_tokens with finish_reason length", async () => {
    const completion = await ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("hi"), max_completion_tokens: 3 })
    expect(completion.choices[0]?.message.content).toBe("Hello from llm-fake.")
    expect(completion.choices[0]?.finish_reason).toBe("length")
    expect(completion.usage?.completion_tokens).toBe(3)
  })

  it("answers response_format json_schema with a deterministic value valid against the schema", async () => {
    const schema = {
      type: "object",
      properties: {
        question: { type: "string", minLength: 10 },
        options: { type: "array", items: { type: "string" }, minItems: 4, maxItems: 4 },
        answer: { type: "integer", minimum: 0, maximum: 3 },
        pillar: { type: "string", enum: ["purpose", "interpersonal", "learning", "action", "resources"] }
      },
      required: ["question", "options", "answer", "pillar"],
      additionalProperties: false
    }
    const request = {
      model: "gpt-4o-mini",
      messages: user("Write a quiz question"),
      response_format: { type: "json_schema" as const, json_schema: { name: "quiz_item", strict: true, schema } }
    }
    const completion = await ctx.openai.chat.completions.create(request)
    const value: unknown = JSON.parse(completion.choices[0]?.message.content ?? "")
    expect(value).toEqual(valueFor(schema))
    expect(value).toEqual({
      question: "question question",
      options: ["option 1", "option 2", "option 3", "option 4"],
      answer: 0,
      pillar: "purpose"
    })
    // Streamed, the fragments join to the same JSON.
    const stream = await ctx.openai.chat.completions.create({ ...request, stream: true })
    let text = ""
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ""
    expect(JSON.parse(text)).toEqual(value)
  })

  it("calls the named tool with arguments valid against its parameters, streamed and not", async () => {
    const tools = [{
      type: "function" as const,
      function: { name: "grade", parameters: { type: "object", properties: { score: { type: "number", minimum: 1, maximum: 5 } }, required: ["score"] } }
    }]
    const tool_choice = { type: "function" as const, function: { name: "grade" } }
    const completion = await ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("grade"), tools, tool_choice })
    const call = completion.choices[0]?.message.tool_calls?.[0]
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls")
    expect(call?.type === "function" ? JSON.parse(call.function.arguments) : undefined).toEqual({ score: 1 })
    const final = await ctx.openai.chat.completions.stream({ model: "gpt-4o-mini", messages: user("grade"), tools, tool_choice }).finalChatCompletion()
    const streamed = final.choices[0]?.message.tool_calls?.[0]
    expect(streamed?.type === "function" ? JSON.parse(streamed.function.arguments) : undefined).toEqual({ score: 1 })
    expect(final.choices[0]?.finish_reason).toBe("tool_calls")
  })

  it("embeds deterministically, as base64 (the SDK's default) and as floats", async () => {
    const viaBase64 = await ctx.openai.embeddings.create({ model: "text-embedding-3-small", input: ["purpose and meaning", "team trust"] })
    expect(viaBase64.data).toHaveLength(2)
    expect(viaBase64.data[0]?.embedding).toHaveLength(1536)
    expect(viaBase64.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 })
    const floats = await ctx.openai.embeddings.create({ model: "text-embedding-3-small", input: "purpose and meaning", encoding_format: "float", dimensions: 8 })
    expect(floats.data[0]?.embedding).toEqual(Array.from(embed("purpose and meaning", 8)))
    const first = viaBase64.data[0]?.embedding ?? []
    expect(first.slice(0, 4)).toEqual(Array.from(embed("purpose and meaning", 1536)).slice(0, 4))
  })

  it("lists models", async () => {
    const page = await ctx.openai.models.list()
    expect(page.data.map((m) => m.id)).toContain("gpt-4o-mini")
  })
})
