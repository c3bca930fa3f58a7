/** Anthropic wire formats: messages (streamed and not), models. */
import { countTokens, idFrom, limitTokens, textOf, tokenize } from "./content.js"
import { anthropicError, type ErrorResponse } from "./errors.js"
import { sse, type StreamShape } from "./engine.js"
import { jsonPieces } from "./openai.js"
import { isRecord } from "./parse.js"
import { valueFor } from "./structured.js"

type Body = Readonly<Record<string, unknown>>

export const anthropicModels = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"]

const invalid = (message: string, requestId: string): ErrorResponse => ({
  status: 400,
  headers: {},
  body: { type: "error", error: { type: "invalid_request_error", message }, request_id: requestId }
})

export interface MessageAnswer {
  readonly id: string
  readonly model: string
  readonly pieces: ReadonlyArray<string>
  readonly tool: { readonly id: string; readonly name: string; readonly input: unknown } | undefined
  readonly stopReason: "end_turn" | "max_tokens" | "tool_use"
  readonly inputTokens: number
}

const chosenTool = (body: Body): { readonly name: string; readonly schema: unknown } | undefined => {
  const tools = Array.isArray(body["tools"]) ? (body["tools"] as ReadonlyArray<unknown>).filter(isRecord) : []
  const choice = body["tool_choice"]
  if (tools.length === 0 || (isRecord(choice) && choice["type"] === "none")) return undefined
  const wanted = isRecord(choice) && choice["type"] === "tool" ? choice["name"] : undefined
  const tool = tools.find((t) => wanted === undefined || t["name"] === wanted)
  return tool === undefined || typeof tool["name"] !== "string" ? undefined : { name: tool["name"], schema: tool["input_schema"] }
}

export const messageAnswer = (body: Body, reply: string, seq: number, requestId: string): MessageAnswer | ErrorResponse => {
  const model = body["model"]
  if (typeof model !== "string") return invalid("model: Field required", requestId)
  const maxTokens = body["max_tokens"]
  if (typeof maxTokens !== "number") return invalid("max_tokens: Field required", requestId)
  const messages = body["messages"]
  if (!Array.isArray(messages) || messages.length === 0) return invalid("messages: at least one message is required", requestId)
  const base = {
    id: `msg_${idFrom(`anthropic-${seq}`)}`,
    model,
    inputTokens: countTokens(textOf(messages)) + countTokens(textOf(body["system"] ?? "")) + countTokens(textOf(body["tools"] ?? ""))
  }
  const tool = chosenTool(body)
  if (tool !== undefined) {
    const input = valueFor(tool.schema, tool.name)
    const { tokens, cut } = limitTokens(jsonPieces(JSON.stringify(input)), maxTokens)
    return {
      ...base,
      pieces: tokens,
      tool: { id: `toolu_${idFrom(`tool-${seq}`)}`, name: tool.name, input: cut ? {} : input },
      stopReason: cut ? "max_tokens" : "tool_use"
    }
  }
  const { tokens, cut } = limitTokens(tokenize(reply), maxTokens)
  return { ...base, pieces: tokens, tool: undefined, stopReason: cut ? "max_tokens" : "end_turn" }
}

const usage = (answer: MessageAnswer, outputTokens: number) => ({
  input_tokens: answer.inputTokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: outputTokens
})

export const message = (answer: MessageAnswer) => ({
  id: answer.id,
  type: "message",
  role: "assistant",
  model: answer.model,
  content: answer.tool === undefined
    ? [{ type: "text", text: answer.pieces.join("") }]
    : [{ type: "tool_use", id: answer.tool.id, name: answer.tool.name, input: answer.tool.input }],
  stop_reason: answer.stopReason,
  stop_sequence: null,
  usage: { ...usage(answer, answer.pieces.length), service_tier: "standard" }
})

export const messageStream = (answer: MessageAnswer): StreamShape => {
  const tool = answer.tool
  const event = (type: string, data: Readonly<Record<string, unknown>>) => sse({ type, ...data }, type)
  const preamble = [
    event("message_start", {
      message: {
        id: answer.id,
        type: "message",
        role: "assistant",
        model: answer.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage(answer, 1), service_tier: "standard" }
      }
    }),
    event("content_block_start", {
      index: 0,
      content_block: tool === undefined ? { type: "text", text: "" } : { type: "tool_use", id: tool.id, name: tool.name, input: {} }
    }),
    sse({ type: "ping" }, "ping")
  ]
  const tokens = answer.pieces.map((piece) =>
    event("content_block_delta", {
      index: 0,
      delta: tool === undefined ? { type: "text_delta", text: piece } : { type: "input_json_delta", partial_json: piece }
    })
  )
  const epilogue = [
    event("content_block_stop", { index: 0 }),
    event("message_delta", { delta: { stop_reason: answer.stopReason, stop_sequence: null }, usage: usage(answer, answer.pieces.length) }),
    event("message_stop", {})
  ]
  return {
    headers: {},
    preamble,
    tokens,
    epilogue,
    errorEvent: (error) => {
      const body = anthropicError(error, "").body
      const inner = isRecord(body) ? body["error"] : undefined
      return sse({ type: "error", error: inner }, "error")
    },
    malformedEvent: `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n`
  }
}

export const modelList = () => ({
  data: anthropicModels.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-09-29T00:00:00Z" })),
  has_more: false,
  first_id: anthropicModels[0] ?? null,
  last_id: anthropicModels.at(-1) ?? null
})
