import { Effect, Redacted } from "effect"
import OpenAI from "openai"
import {
  type LlmError,
  LlmConnectionFailed,
  LlmInvalidOutput,
  LlmTimeout
} from "./Errors.js"
import {
  type ChatRequest,
  type ChatResult,
  Delta,
  Done,
  connectionMessage,
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
import type { EmbeddingProvider, EmbedResult } from "./Embed.js"
import { emit, fail, finish, openSse, type SseEvent, sseStream, type SseStreamOptions, type Step } from "./SseStream.js"

export interface OpenAiOptions {
  readonly apiKey: Redacted.Redacted
  /** The SDK's `baseURL` (default: OpenAI's API). */
  readonly baseURL?: string | undefined
  readonly model: string
  readonly timeouts?: Partial<Timeouts> | undefined
}

const provider = "openai"

/** The official SDK as every call here uses it: no retries of its own (the gateway owns them), our headers timeout. */
const sdkClient = (
  options: { readonly apiKey: Redacted.Redacted; readonly baseURL?: string | undefined },
  headersMs: number
) =>
  new OpenAI({
    apiKey: Redacted.value(options.apiKey),
    maxRetries: 0,
    timeout: headersMs,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL })
  })

/**
 * OpenAI chat completions through the official SDK (`maxRetries: 0`; the SDK's `timeout` is our
 * headers timeout). Streams are requested with `stream_options.include_usage` and read from the
 * raw response, so the `[DONE]` terminator is seen (the SDK's iterator hides it).
 */
export const makeOpenAi = (options: OpenAiOptions): LlmProvider => {
  const timeouts = timeoutsOf(options.timeouts)
  const client = sdkClient(options, timeouts.headersMs)
  const model = options.model

  const params = (request: ChatRequest) => ({
    model,
    messages: [
      ...(request.system === undefined ? [] : [{ role: "system" as const, content: request.system }]),
      ...request.messages.map((m) => ({ role: m.role, content: m.content }))
    ],
    ...(request.maxTokens === undefined ? {} : { max_completion_tokens: request.maxTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.schema === undefined ? {} : {
      response_format: {
        type: "json_schema" as const,
        json_schema: { name: schemaName(request.schema.name), schema: { ...request.schema.jsonSchema }, strict: true }
      }
    })
  })

  const chat = (request: ChatRequest): Effect.Effect<ChatResult, LlmError> =>
    withDeadlines(
      provider,
      timeouts,
      (signal) => client.chat.completions.create({ ...params(request), stream: false }, { signal }),
      openAiError
    ).pipe(
      Effect.flatMap((completion) => {
        const choice = completion.choices[0]
        if (choice === undefined) {
          return Effect.fail(new LlmInvalidOutput({ provider, message: "openai: the completion has no choices", issues: "no choices" }))
        }
        const text = choice.message.content ?? ""
        const finishReason = finishReasonOf(choice.finish_reason)
        const usage: Usage = completion.usage === undefined
          ? "unknown"
          : { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens }
        if (request.schema === undefined) return Effect.succeed<ChatResult>({ text, finishReason, usage })
        return parseStructured(text, finishReason, choice.message.refusal ?? undefined).pipe(
          Effect.map((structured): ChatResult => ({ text, finishReason, usage, structured }))
        )
      })
    )

  const sse = (request: ChatRequest): SseStreamOptions => ({
    provider,
    timeouts,
    open: (signal) =>
      client.chat.completions.create(
        { ...params(request), stream: true, stream_options: { include_usage: true } },
        { signal }
      ).asResponse(),
    openError: openAiError,
    protocol: streamProtocol
  })

  return {
    name: provider,
    model,
    chat,
    stream: (request) => sseStream(sse(request)),
    streamPull: (request) => openSse(sse(request))
  }
}

export interface OpenAiEmbeddingsOptions {
  readonly apiKey: Redacted.Redacted
  readonly baseURL?: string | undefined
  /** e.g. `text-embedding-3-small`. */
  readonly model: string
  /** Asked of the API (the `text-embedding-3-*` models shorten their vectors); checked in the answer. */
  readonly dimensions: number
  /** Only `headersMs` and `totalMs` apply (a JSON answer). */
  readonly timeouts?: Partial<Timeouts> | undefined
}

/**
 * OpenAI embeddings through the official SDK (`maxRetries: 0`), one attempt under our headers and
 * total deadlines; failures mapped like chat's. An answer with the wrong number of vectors or of
 * dimensions is `LlmInvalidOutput`.
 */
export const makeOpenAiEmbeddings = (options: OpenAiEmbeddingsOptions): EmbeddingProvider => {
  const timeouts = timeoutsOf(options.timeouts)
  const client = sdkClient(options, timeouts.headersMs)
  const { dimensions, model } = options
  const invalid = (issues: string) =>
    new LlmInvalidOutput({ provider, message: `openai: unexpected embeddings answer: ${issues}`, issues })
  const embed = (texts: ReadonlyArray<string>): Effect.Effect<EmbedResult, LlmError> =>
    withDeadlines(
      provider,
      timeouts,
      (signal) => client.embeddings.create({ model, input: [...texts], dimensions }, { signal }),
      openAiError
    ).pipe(
      Effect.flatMap((response) => {
        const vectors = [...response.data].sort((a, b) => a.index - b.index).map((item) => Float32Array.from(item.embedding))
        if (vectors.length !== texts.length) return Effect.fail(invalid(`${vectors.length} vectors for ${texts.length} texts`))
        const wrong = vectors.find((v) => v.length !== dimensions)
        if (wrong !== undefined) return Effect.fail(invalid(`${wrong.length} dimensions, expected ${dimensions}`))
        return Effect.succeed<EmbedResult>({ vectors, usage: { inputTokens: response.usage.prompt_tokens, outputTokens: 0 } })
      })
    )
  return { name: provider, model, dimensions, embed }
}

/** OpenAI's chunks → steps: content deltas, the finish reason, the usage chunk, `[DONE]`, `{ error }`. */
const streamProtocol = () => {
  let finishReason: FinishReason | undefined
  let usage: Usage = "unknown"
  return (event: SseEvent): Step => {
    if (event.data.startsWith("[DONE]")) return finish(Done(finishReason ?? "other", usage))
    const chunk: unknown = JSON.parse(event.data)
    if (!isRecord(chunk)) throw new Error("a chunk that is not a JSON object")
    const error = chunk["error"]
    if (isRecord(error)) return fail(inBandError(error))
    const u = chunk["usage"]
    if (isRecord(u) && typeof u["prompt_tokens"] === "number" && typeof u["completion_tokens"] === "number") {
      usage = { inputTokens: u["prompt_tokens"], outputTokens: u["completion_tokens"] }
    }
    const choices = chunk["choices"]
    if (!Array.isArray(choices)) throw new Error("a chunk without choices")
    const choice: unknown = choices[0]
    if (!isRecord(choice)) return emit()
    const reason = choice["finish_reason"]
    if (typeof reason === "string") finishReason = finishReasonOf(reason)
    const delta = choice["delta"]
    const content = isRecord(delta) ? delta["content"] : undefined
    return typeof content === "string" && content !== "" ? emit(Delta(content)) : emit()
  }
}

const inBandError = (error: Readonly<Record<string, unknown>>): LlmError =>
  fromProviderFailure({
    provider,
    status: undefined,
    type: stringOr(error["type"]),
    code: stringOr(error["code"]),
    message: `openai: in-band stream error: ${stringOr(error["message"]) ?? "unknown error"}`,
    headers: undefined,
    cause: error
  })

/** Every SDK failure → the closed error set. */
export const openAiError = (cause: unknown): LlmError => {
  if (cause instanceof OpenAI.APIConnectionTimeoutError) {
    return new LlmTimeout({ provider, phase: "headers", message: `openai: no response headers in time (${cause.message})`, cause })
  }
  if (cause instanceof OpenAI.APIConnectionError || cause instanceof OpenAI.APIUserAbortError) {
    return new LlmConnectionFailed({ provider, message: `openai: ${connectionMessage(cause)}`, cause })
  }
  if (cause instanceof OpenAI.APIError) {
    return fromProviderFailure({
      provider,
      status: cause.status,
      type: cause.type,
      code: cause.code,
      message: `openai: ${cause.message}`,
      headers: cause.headers,
      cause
    })
  }
  return new LlmConnectionFailed({ provider, message: `openai: ${messageOf(cause)}`, cause })
}

export const finishReasonOf = (reason: string | null | undefined): FinishReason => {
  switch (reason) {
    case "stop":
      return "stop"
    case "length":
      return "length"
    case "tool_calls":
    case "function_call":
      return "tool"
    case "content_filter":
      return "content_filter"
    default:
      return "other"
  }
}

/** The JSON of a structured answer; a refusal, a cut-off or unparsable answer is `LlmInvalidOutput`. */
const parseStructured = (
  text: string,
  finishReason: FinishReason,
  refusal: string | undefined
): Effect.Effect<unknown, LlmInvalidOutput> => {
  if (refusal !== undefined && refusal !== "") {
    return Effect.fail(new LlmInvalidOutput({ provider, message: `openai: the model refused: ${refusal}`, issues: "refusal" }))
  }
  if (finishReason === "length") {
    return Effect.fail(
      new LlmInvalidOutput({ provider, message: "openai: the structured answer was cut off (max tokens)", issues: "finish_reason length" })
    )
  }
  return Effect.try({
    try: (): unknown => JSON.parse(text),
    catch: (cause) =>
      new LlmInvalidOutput({ provider, message: "openai: the structured answer is not JSON", issues: messageOf(cause), cause })
  })
}
