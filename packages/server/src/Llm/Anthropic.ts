import Anthropic from "@anthropic-ai/sdk"
import { Effect, Redacted } from "effect"
import { type LlmError, LlmConnectionFailed, LlmInvalidOutput, LlmTimeout } from "./Errors.js"
import {
  type ChatRequest,
  type ChatResult,
  connectionMessage,
  defaultMaxTokens,
  Delta,
  Done,
  type FinishReason,
  fromProviderFailure,
  isRecord,
  type LlmProvider,
  messageOf,
  schemaName,
  stringOr,
  type Timeouts,
  timeoutsOf,
  type Usage
} from "./Provider.js"
import { withDeadlines } from "./Deadlines.js"
import { emit, fail, finish, openSse, type SseEvent, sseStream, type SseStreamOptions, type Step } from "./SseStream.js"

export interface AnthropicOptions {
  readonly apiKey: Redacted.Redacted
  /** The SDK's `baseURL` (default: Anthropic's API). */
  readonly baseURL?: string | undefined
  readonly model: string
  readonly timeouts?: Partial<Timeouts> | undefined
  /** `max_tokens` when the request has none (Anthropic requires it); default 1024. */
  readonly maxTokens?: number | undefined
}

const provider = "anthropic"

/**
 * Anthropic messages through the official SDK (`maxRetries: 0`; the SDK's `timeout` is our
 * headers timeout). Structured output is a single forced tool whose `input_schema` is the
 * schema; its `input` is the structured value. Streams are read from the raw response so every
 * event (`message_stop` included) goes through one protocol with our phase timeouts.
 */
export const makeAnthropic = (options: AnthropicOptions): LlmProvider => {
  const timeouts = timeoutsOf(options.timeouts)
  const client = new Anthropic({
    apiKey: Redacted.value(options.apiKey),
    maxRetries: 0,
    timeout: timeouts.headersMs,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL })
  })
  const model = options.model

  const params = (request: ChatRequest) => {
    const tool = request.schema === undefined ? undefined : schemaName(request.schema.name)
    return {
      model,
      max_tokens: request.maxTokens ?? options.maxTokens ?? defaultMaxTokens,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.schema === undefined || tool === undefined ? {} : {
        tools: [{
          name: tool,
          description: `Answer with a value of ${request.schema.name}.`,
          input_schema: { ...request.schema.jsonSchema, type: "object" as const }
        }],
        tool_choice: { type: "tool" as const, name: tool }
      })
    }
  }

  const chat = (request: ChatRequest): Effect.Effect<ChatResult, LlmError> =>
    withDeadlines(
      provider,
      timeouts,
      (signal) => client.messages.create({ ...params(request), stream: false }, { signal }),
      anthropicError
    ).pipe(
      Effect.flatMap((message) => {
        const structured = request.schema !== undefined
        const finishReason = finishReasonOf(message.stop_reason, structured)
        const usage: Usage = {
          inputTokens: message.usage.input_tokens + (message.usage.cache_creation_input_tokens ?? 0) +
            (message.usage.cache_read_input_tokens ?? 0),
          outputTokens: message.usage.output_tokens
        }
        if (!structured) {
          const text = message.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("")
          return Effect.succeed<ChatResult>({ text, finishReason, usage })
        }
        if (message.stop_reason === "max_tokens") {
          return Effect.fail(
            new LlmInvalidOutput({ provider, message: "anthropic: the structured answer was cut off (max tokens)", issues: "stop_reason max_tokens" })
          )
        }
        const toolUse = message.content.find((block) => block.type === "tool_use")
        if (toolUse === undefined) {
          return Effect.fail(
            new LlmInvalidOutput({ provider, message: "anthropic: the answer has no tool_use block", issues: "no tool_use block" })
          )
        }
        return Effect.succeed<ChatResult>({ text: JSON.stringify(toolUse.input), finishReason, usage, structured: toolUse.input })
      })
    )

  const sse = (request: ChatRequest): SseStreamOptions => ({
    provider,
    timeouts,
    open: (signal) => client.messages.create({ ...params(request), stream: true }, { signal }).asResponse(),
    openError: anthropicError,
    protocol: () => streamProtocol(request.schema !== undefined)
  })

  return {
    name: provider,
    model,
    chat,
    stream: (request) => sseStream(sse(request)),
    streamPull: (request) => openSse(sse(request))
  }
}

/**
 * Anthropic's events → steps: `message_start` (input usage), `content_block_delta` (text, or the
 * tool input's JSON fragments for structured output), `message_delta` (stop reason, cumulative
 * output usage), `message_stop` (the terminator), `ping`, `error` (in-band).
 */
const streamProtocol = (structured: boolean) => {
  let input: number | undefined
  let output: number | undefined
  let stopReason: string | undefined
  return (event: SseEvent): Step => {
    const data: unknown = JSON.parse(event.data)
    if (!isRecord(data)) throw new Error("an event that is not a JSON object")
    switch (event.event ?? data["type"]) {
      case "error": {
        const error = isRecord(data["error"]) ? data["error"] : {}
        return fail(fromProviderFailure({
          provider,
          status: undefined,
          type: stringOr(error["type"]),
          code: undefined,
          message: `anthropic: in-band stream error: ${stringOr(error["message"]) ?? "unknown error"}`,
          headers: undefined,
          cause: data
        }))
      }
      case "message_start": {
        const message = data["message"]
        const usage = isRecord(message) ? message["usage"] : undefined
        if (isRecord(usage)) {
          input = sum(usage["input_tokens"], usage["cache_creation_input_tokens"], usage["cache_read_input_tokens"])
          output = numberOr(usage["output_tokens"]) ?? output
        }
        return emit()
      }
      case "content_block_delta": {
        const delta = data["delta"]
        if (!isRecord(delta)) throw new Error("content_block_delta without a delta")
        const text = delta["type"] === "text_delta"
          ? delta["text"]
          : delta["type"] === "input_json_delta" && structured
          ? delta["partial_json"]
          : undefined
        return typeof text === "string" && text !== "" ? emit(Delta(text)) : emit()
      }
      case "message_delta": {
        const delta = data["delta"]
        if (isRecord(delta) && typeof delta["stop_reason"] === "string") stopReason = delta["stop_reason"]
        const usage = data["usage"]
        if (isRecord(usage)) {
          output = numberOr(usage["output_tokens"]) ?? output
          if (typeof usage["input_tokens"] === "number") {
            input = sum(usage["input_tokens"], usage["cache_creation_input_tokens"], usage["cache_read_input_tokens"])
          }
        }
        return emit()
      }
      case "message_stop":
        return finish(Done(
          finishReasonOf(stopReason, structured),
          input === undefined || output === undefined ? "unknown" : { inputTokens: input, outputTokens: output }
        ))
      default:
        return emit()
    }
  }
}

/** Every SDK failure → the closed error set. */
export const anthropicError = (cause: unknown): LlmError => {
  if (cause instanceof Anthropic.APIConnectionTimeoutError) {
    return new LlmTimeout({ provider, phase: "headers", message: `anthropic: no response headers in time (${cause.message})`, cause })
  }
  if (cause instanceof Anthropic.APIConnectionError || cause instanceof Anthropic.APIUserAbortError) {
    return new LlmConnectionFailed({ provider, message: `anthropic: ${connectionMessage(cause)}`, cause })
  }
  if (cause instanceof Anthropic.APIError) {
    return fromProviderFailure({
      provider,
      status: cause.status,
      type: cause.type,
      code: undefined,
      message: `anthropic: ${cause.message}`,
      headers: cause.headers,
      cause
    })
  }
  return new LlmConnectionFailed({ provider, message: `anthropic: ${messageOf(cause)}`, cause })
}

/** `tool_use` is "stop" when the tool was our structured-output tool (the answer is complete). */
export const finishReasonOf = (reason: string | null | undefined, structured: boolean): FinishReason => {
  switch (reason) {
    case "end_turn":
    case "stop_sequence":
      return "stop"
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length"
    case "tool_use":
      return structured ? "stop" : "tool"
    case "refusal":
      return "content_filter"
    default:
      return "other"
  }
}

const numberOr = (u: unknown): number | undefined => (typeof u === "number" ? u : undefined)

const sum = (...values: ReadonlyArray<unknown>): number => values.reduce<number>((n, v) => n + (numberOr(v) ?? 0), 0)
