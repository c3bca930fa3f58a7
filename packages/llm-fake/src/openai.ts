/** OpenAI wire formats: chat completions (streamed and not), embeddings, models. */
import { countTokens, embed, embeddingDimensions, idFrom, limitTokens, textOf, tokenize } from "./content.js"
import { openAiError, type ErrorResponse } from "./errors.js"
import { sse, type StreamShape } from "./engine.js"
import { isRecord } from "./parse.js"
import { valueFor } from "./structured.js"

type Body = Readonly<Record<string, unknown>>

export const openAiModels = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "text-embedding-3-small", "text-embedding-3-large"]

const invalid = (message: string, param: string | null = null): ErrorResponse => ({
  status: 400,
  headers: {},
  body: { error: { message, type: "invalid_request_error", param, code: null } }
})

/** Splits JSON text into the small fragments a model streams. */
export const jsonPieces = (json: string): ReadonlyArray<string> => json.match(/[\s\S]{1,8}/g) ?? []

interface ToolCall {
  readonly id: string
  readonly name: string
  readonly arguments: string
}

/** The answer a chat request gets: text or a tool call, split into tokens, with its finish reason. */
export interface ChatAnswer {
  readonly model: string
  readonly id: string
  readonly created: number
  readonly pieces: ReadonlyArray<string>
  readonly text: string | null
  readonly toolCall: ToolCall | undefined
  readonly finishReason: "stop" | "length" | "tool_calls"
  readonly promptTokens: number
  readonly stream: boolean
  readonly includeUsage: boolean
}

const chosenTool = (body: Body): { readonly name: string; readonly parameters: unknown } | undefined => {
  const tools = Array.isArray(body["tools"]) ? (body["tools"] as ReadonlyArray<unknown>) : []
  const choice = body["tool_choice"]
  if (tools.length === 0 || choice === "none") return undefined
  const functions = tools.flatMap((t) => (isRecord(t) && isRecord(t["function"]) ? [t["function"]] : []))
  const wanted = isRecord(choice) && isRecord(choice["function"]) ? choice["function"]["name"] : undefined
  const fn = functions.find((f) => wanted === undefined || f["name"] === wanted)
  return fn === undefined || typeof fn["name"] !== "string" ? undefined : { name: fn["name"], parameters: fn["parameters"] }
}

export const chatAnswer = (body: Body, reply: string, seq: number): ChatAnswer | ErrorResponse => {
  const model = body["model"]
  if (typeof model !== "string") return invalid("you must provide a model parameter")
  const messages = body["messages"]
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages")
  }
  const max = body["max_completion_tokens"] ?? body["max_tokens"]
  const maxTokens = typeof max === "number" ? max : undefined
  const streamOptions = body["stream_options"]
  const base = {
    model,
    id: `chatcmpl-${idFrom(`openai-${seq}`, 29)}`,
    created: Math.floor(Date.now() / 1000),
    promptTokens: countTokens(textOf(messages)) + countTokens(textOf(body["tools"] ?? "")),
    stream: body["stream"] === true,
    includeUsage: isRecord(streamOptions) && streamOptions["include_usage"] === true
  }
  const tool = chosenTool(body)
  if (tool !== undefined) {
    const args = JSON.stringify(valueFor(tool.parameters, tool.name))
    const { tokens, cut } = limitTokens(jsonPieces(args), maxTokens)
    return {
      ...base,
      pieces: tokens,
      text: null,
      toolCall: { id: `call_${idFrom(`call-${seq}`)}`, name: tool.name, arguments: tokens.join("") },
      finishReason: cut ? "length" : "tool_calls"
    }
  }
  const format = body["response_format"]
  const content = isRecord(format) && format["type"] === "json_schema" && isRecord(format["json_schema"])
    ? jsonPieces(JSON.stringify(valueFor(format["json_schema"]["schema"], String(format["json_schema"]["name"] ?? "value"))))
    : isRecord(format) && format["type"] === "json_object"
    ? jsonPieces(JSON.stringify({ answer: reply }))
    : tokenize(reply)
  const { tokens, cut } = limitTokens(content, maxTokens)
  return { ...base, pieces: tokens, text: tokens.join(""), toolCall: undefined, finishReason: cut ? "length" : "stop" }
}

const usage = (answer: ChatAnswer) => ({
  prompt_tokens: answer.promptTokens,
  completion_tokens: answer.pieces.length,
  total_tokens: answer.promptTokens + answer.pieces.length,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
})

const fingerprint = "fp_llmfake01"

export const chatCompletion = (answer: ChatAnswer) => ({
  id: answer.id,
  object: "chat.completion",
  created: answer.created,
  model: answer.model,
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: answer.text,
        ...(answer.toolCall === undefined
          ? {}
          : { tool_calls: [{ id: answer.toolCall.id, type: "function", function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments } }] }),
        refusal: null,
        annotations: []
      },
      logprobs: null,
      finish_reason: answer.finishReason
    }
  ],
  usage: usage(answer),
  service_tier: "default",
  system_fingerprint: fingerprint
})

export const chatStream = (answer: ChatAnswer): StreamShape => {
  const chunk = (delta: unknown, finishReason: string | null) => ({
    id: answer.id,
    object: "chat.completion.chunk",
    created: answer.created,
    model: answer.model,
    service_tier: "default",
    system_fingerprint: fingerprint,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(answer.includeUsage ? { usage: null } : {})
  })
  const call = answer.toolCall
  const first = call === undefined
    ? { role: "assistant", content: "", refusal: null }
    : { role: "assistant", content: null, tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: call.name, arguments: "" } }], refusal: null }
  const tokens = answer.pieces.map((piece) =>
    sse(chunk(call === undefined ? { content: piece } : { tool_calls: [{ index: 0, function: { arguments: piece } }] }, null))
  )
  const epilogue = [
    sse(chunk({}, answer.finishReason)),
    ...(answer.includeUsage
      ? [sse({ ...chunk({}, null), choices: [], usage: usage(answer) })]
      : []),
    sse("[DONE]")
  ]
  return {
    headers: {},
    preamble: [sse(chunk(first, null))],
    tokens,
    epilogue,
    errorEvent: (error) => sse(openAiError(error).body),
    malformedEvent: `data: {"id":"${answer.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\n\n`
  }
}

export const embeddings = (body: Body): { readonly body: unknown; readonly tokens: number } | ErrorResponse => {
  const model = body["model"]
  if (typeof model !== "string") return invalid("you must provide a model parameter")
  const input = body["input"]
  const inputs: ReadonlyArray<string> = typeof input === "string"
    ? [input]
    : Array.isArray(input) && input.length > 0
    ? (input as ReadonlyArray<unknown>).map((x) => (typeof x === "string" ? x : textOf(x)))
    : []
  if (inputs.length === 0) return invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", "input")
  const dimensions = typeof body["dimensions"] === "number" ? body["dimensions"] : embeddingDimensions(model)
  const base64 = body["encoding_format"] === "base64"
  const tokens = inputs.reduce((n, text) => n + countTokens(text), 0)
  return {
    tokens,
    body: {
      object: "list",
      data: inputs.map((text, index) => {
        const vector = embed(text, dimensions)
        return {
          object: "embedding",
          index,
          embedding: base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64") : Array.from(vector)
        }
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens }
    }
  }
}

export const modelList = () => ({
  object: "list",
  data: openAiModels.map((id) => ({ id, object: "model", created: 1715367049, owned_by: "system" }))
})

export const isErrorResponse = (u: unknown): u is ErrorResponse => isRecord(u) && typeof u["status"] === "number" && "headers" in u
