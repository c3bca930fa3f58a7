import type Anthropic from "@anthropic-ai/sdk"
import { describe, expect, it } from "vitest"
import { defaultReply } from "../src/index.js"
import { user, useFake } from "./helpers.js"

const ctx = useFake()

describe("Anthropic contract (real SDK)", () => {
  it("answers a message with the deterministic text, stop reason and usage", async () => {
    const message = await ctx.anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 256, messages: user("Say hello to the learner") })
    expect(message.type).toBe("message")
    expect(message.id).toMatch(/^msg_/)
    expect(message.content).toEqual([{ type: "text", text: defaultReply }])
    expect(message.stop_reason).toBe("end_turn")
    expect(message.usage).toMatchObject({ input_tokens: 6, output_tokens: 16 })
  })

  it("streams message_start, content_block_start, ping, deltas, stop, message_delta with cumulative usage, message_stop", async () => {
    const stream = await ctx.anthropic.messages.create({ model: "claude-haiku-4-5", max_tokens: 256, messages: user("hi"), stream: true })
    const types: Array<string> = []
    let text = ""
    let usage: Anthropic.MessageDeltaUsage | undefined
    let stop: string | null = null
    for await (const event of stream) {
      types.push(event.type)
      if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text
      if (event.type === "message_delta") {
        usage = event.usage
        stop = event.delta.stop_reason
      }
    }
    // The SDK swallows `ping`; the journal shows it was there (see the raw wire test below).
    expect(types).toEqual(["message_start", "content_block_start", ...Array<string>(16).fill("content_block_delta"), "content_block_stop", "message_delta", "message_stop"])
    expect(text).toBe(defaultReply)
    expect(stop).toBe("end_turn")
    expect(usage).toMatchObject({ input_tokens: 2, output_tokens: 16 })
  })

  it("the SDK's stream helper assembles the final message", async () => {
    const final = await ctx.anthropic.messages.stream({ model: "claude-haiku-4-5", max_tokens: 4, messages: user("hi") }).finalMessage()
    expect(final.content).toEqual([{ type: "text", text: "Hello from llm-fake. This" }])
    expect(final.stop_reason).toBe("max_tokens")
    expect(final.usage.output_tokens).toBe(4)
  })

  it("writes the real wire format, ping included", async () => {
    const response = await fetch(`${ctx.fake.anthropicBaseUrl}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json" },
      body: JSON.stringify({ model: "claude-haiku-4-5", max_tokens: 1, messages: user("hi"), stream: true })
    })
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8")
    expect(response.headers.get("request-id")).toMatch(/^req_/)
    const events = (await response.text()).split("\n\n").filter((e) => e !== "").map((e) => e.split("\n")[0])
    expect(events).toEqual([
      "event: message_start",
      "event: content_block_start",
      "event: ping",
      "event: content_block_delta",
      "event: content_block_stop",
      "event: message_delta",
      "event: message_stop"
    ])
  })

  it("uses a tool with input valid against its schema, streamed (input_json_delta) and not", async () => {
    const tools: Array<Anthropic.Tool> = [{
      name: "quiz_item",
      input_schema: {
        type: "object",
        properties: { prompt: { type: "string" }, choices: { type: "array", items: { type: "string" }, minItems: 2 } },
        required: ["prompt", "choices"]
      }
    }]
    const request = { model: "claude-haiku-4-5", max_tokens: 512, messages: user("quiz"), tools, tool_choice: { type: "tool" as const, name: "quiz_item" } }
    const expected = { prompt: "prompt", choices: ["choice 1", "choice 2"] }
    const message = await ctx.anthropic.messages.create(request)
    expect(message.stop_reason).toBe("tool_use")
    expect(message.content[0]).toMatchObject({ type: "tool_use", name: "quiz_item", input: expected })
    const final = await ctx.anthropic.messages.stream(request).finalMessage()
    expect(final.stop_reason).toBe("tool_use")
    expect(final.content[0]).toMatchObject({ type: "tool_use", name: "quiz_item", input: expected })
  })

  it("lists models on the shared /v1/models path when the anthropic-version header is present", async () => {
    const page = await ctx.anthropic.models.list()
    expect(page.data.map((m) => m.id)).toContain("claude-haiku-4-5")
  })
})
