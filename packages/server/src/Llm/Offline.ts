import { Effect, Option, Stream } from "effect"
import { LlmBadRequest, LlmInvalidOutput } from "./Errors.js"
import { coachingTask, offlineCoaching } from "./OfflineCoaching.js"
import { quizSlots, writeQuiz } from "./OfflineQuiz.js"
import {
  type ChatRequest,
  type ChatResult,
  Delta,
  Done,
  type FinishReason,
  isRecord,
  type LlmProvider,
  type StreamEvent
} from "./Provider.js"

export const OFFLINE_MODEL = "compilar-offline-1"

/**
 * A deterministic provider that needs no network and no key: what every user sees until a key is
 * configured. Its answer is grounded in the context the prompt carries (the system prompt, the
 * earlier messages, and anything after a `Context:` line in the last message): the sentences of
 * that context that share the most words with the question, in their original order, never the
 * question itself. Structured output is a value generated from the JSON schema, its strings taken
 * from the same context. Usage is exact: tokens are whitespace-led words, the same chunks the
 * stream emits. A quiz request (the `pilar_quiz` structured output) gets statements written from
 * the PILAR dataset instead (OfflineQuiz.ts), and a coaching request (task `coaching`) coaching
 * written from the results and passages its prompt carries (OfflineCoaching.ts).
 */
export const makeOffline = (options: { readonly model?: string } = {}): LlmProvider => {
  const model = options.model ?? OFFLINE_MODEL
  const chat = (request: ChatRequest): Effect.Effect<ChatResult, LlmBadRequest | LlmInvalidOutput> =>
    checked(request).pipe(Effect.flatMap((result) => {
      if (request.schema !== undefined && result.finishReason === "length") {
        return Effect.fail(
          new LlmInvalidOutput({ provider: "offline", message: "offline: the structured answer was cut off (max tokens)", issues: "max tokens" })
        )
      }
      return Effect.succeed(result)
    }))
  const stream = (request: ChatRequest): Stream.Stream<StreamEvent, LlmBadRequest> =>
    Stream.unwrap(checked(request).pipe(Effect.map((result) =>
      Stream.fromIterable<StreamEvent>([...words(result.text).map(Delta), Done(result.finishReason, result.usage)])
    )))
  const checked = (request: ChatRequest): Effect.Effect<ChatResult, LlmBadRequest> =>
    request.messages.some((m) => m.role === "user")
      ? Effect.sync(() => answer(request))
      : Effect.fail(new LlmBadRequest({ provider: "offline", message: "offline: the request has no user message" }))
  return { name: "offline", model, chat, stream }
}

/** The chunks of a text: each word with the whitespace before it (they join back to the text). */
export const words = (text: string): ReadonlyArray<string> => text.match(/\s*\S+/g) ?? []

const answer = (request: ChatRequest): ChatResult => {
  const { question, context } = split(request)
  const sentences = sentencesOf(context)
  const inputTokens = words([request.system ?? "", ...request.messages.map((m) => m.content)].join(" ")).length
  const schema = request.schema
  const full = schema === undefined
    ? Option.getOrElse(coaching(request), () => prose(question, sentences))
    : JSON.stringify(
      Option.flatMapNullable(quizSlots(schema), writeQuiz).pipe(
        Option.getOrElse(() => valueFor(schema.jsonSchema, schema.jsonSchema, schema.name, new Cursor(sentences)))
      )
    )
  const chunks = words(full)
  const cut = request.maxTokens !== undefined && chunks.length > request.maxTokens
  const kept = cut ? chunks.slice(0, request.maxTokens) : chunks
  const text = kept.join("")
  const finishReason: FinishReason = cut ? "length" : "stop"
  const usage = { inputTokens, outputTokens: kept.length }
  return request.schema === undefined || cut
    ? { text, finishReason, usage }
    : { text, finishReason, usage, structured: JSON.parse(text) as unknown }
}

/** The coaching writer, for a `coaching` task whose last message carries results and passages. */
const coaching = (request: ChatRequest): Option.Option<string> => {
  const last = request.messages.filter((m) => m.role === "user").at(-1)
  return request.task === coachingTask && last !== undefined ? offlineCoaching(last.content) : Option.none()
}

const contextMarker = /^\s*context\s*:\s*$/im

/** The question (the last user message, before any `Context:` line) and the context around it. */
const split = (request: ChatRequest): { readonly question: string; readonly context: string } => {
  const lastUser = request.messages.reduce((found, m, i) => (m.role === "user" ? i : found), -1)
  const last = request.messages[lastUser]?.content ?? ""
  const marker = contextMarker.exec(last)
  const question = marker === null ? last : last.slice(0, marker.index)
  const inline = marker === null ? "" : last.slice(marker.index + marker[0].length)
  const earlier = request.messages.filter((_, i) => i !== lastUser).map((m) => m.content)
  return { question, context: [request.system ?? "", ...earlier, inline].join("\n") }
}

const sentencesOf = (text: string): ReadonlyArray<string> =>
  (text.replace(/\s+/g, " ").match(/[^.!?]+[.!?]+(?=\s|$)|[^.!?]+$/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.split(" ").length >= 4 && !/^(you are|answer|respond|use only|be )/i.test(s))

const stopwords = new Set(
  "about after again also been before being between both could does doing during each from have having here into itself just more most other over same should some such than that their them then there these they this those through under until very what when where which while will with would your yours".split(" ")
)

const keywords = (text: string): ReadonlySet<string> =>
  new Set((text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => !stopwords.has(w)).map(stem))

const stem = (w: string): string => w.replace(/(ing|ed|es|s)$/, "")

const prose = (question: string, sentences: ReadonlyArray<string>): string => {
  if (sentences.length === 0) {
    return "I am working offline and this request came without any material to draw on. " +
      "Share the passage or the results you would like to explore, and I will point out what they say."
  }
  const wanted = keywords(question)
  const ranked = sentences
    .map((sentence, index) => ({ sentence, index, score: [...keywords(sentence)].filter((k) => wanted.has(k)).length }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, 3)
    .sort((a, b) => a.index - b.index)
  const lead = (ranked[0]?.score ?? 0) > 0 ? "Here is what the material says on this." : "The material offers this."
  return [lead, ...ranked.map((r) => r.sentence)].join(" ")
}

/** Hands out context sentences in turn, for string fields. */
class Cursor {
  #next = 0
  constructor(readonly sentences: ReadonlyArray<string>) {}
  take(fallback: string): string {
    if (this.sentences.length === 0) return fallback
    const sentence = this.sentences[this.#next % this.sentences.length] ?? fallback
    this.#next++
    return sentence
  }
}

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const formats: Readonly<Record<string, string>> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  email: "learner@example.com",
  uri: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000"
}

const resolve = (root: Readonly<Record<string, unknown>>, ref: string): Readonly<Record<string, unknown>> => {
  let node: unknown = root
  for (const part of ref.replace(/^#\/?/, "").split("/").filter((p) => p !== "")) {
    node = isRecord(node) ? node[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined
  }
  return isRecord(node) ? node : {}
}

const num = (u: unknown): number | undefined => (typeof u === "number" ? u : undefined)

/**
 * A deterministic value valid against the JSON Schema subset structured outputs use: `$ref`
 * (`#/$defs`, `#/definitions`), `allOf` (merged), `anyOf`/`oneOf` (first non-null branch),
 * `const`, `enum`, type lists, objects (every property), arrays (min items, at least one),
 * strings (format, min/max length; `pattern` is not honoured), numbers and integers (bounds,
 * `multipleOf`), booleans and null.
 */
const valueFor = (schema: unknown, root: Readonly<Record<string, unknown>>, name: string, cursor: Cursor): Json => {
  if (!isRecord(schema)) return null
  if (typeof schema["$ref"] === "string") {
    // Keywords beside a `$ref` (Effect puts refinements' bounds there) apply too.
    const { $ref, ...siblings } = schema
    return valueFor({ ...resolve(root, String($ref)), ...siblings }, root, name, cursor)
  }
  if (Array.isArray(schema["allOf"])) {
    const merged = (schema["allOf"] as ReadonlyArray<unknown>).filter(isRecord).reduce<Record<string, unknown>>((acc, s) => {
      const r = typeof s["$ref"] === "string" ? resolve(root, s["$ref"]) : s
      const properties = { ...(isRecord(acc["properties"]) ? acc["properties"] : {}), ...(isRecord(r["properties"]) ? r["properties"] : {}) }
      return { ...acc, ...r, properties }
    }, {})
    const { allOf: _allOf, ...rest } = schema
    return valueFor({ ...merged, ...rest, properties: merged["properties"] }, root, name, cursor)
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key]
    if (Array.isArray(branches)) {
      const branch = (branches as ReadonlyArray<unknown>).find((b) => !(isRecord(b) && b["type"] === "null")) ?? branches[0]
      return valueFor(branch, root, name, cursor)
    }
  }
  if ("const" in schema) return schema["const"] as Json
  if (Array.isArray(schema["enum"]) && schema["enum"].length > 0) return schema["enum"][0] as Json
  const types = Array.isArray(schema["type"]) ? (schema["type"] as ReadonlyArray<unknown>) : [schema["type"]]
  const type = types.find((t) => t !== "null") ?? types[0] ?? (isRecord(schema["properties"]) ? "object" : undefined)
  switch (type) {
    case "object": {
      const properties = isRecord(schema["properties"]) ? schema["properties"] : {}
      return Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, valueFor(s, root, key, cursor)]))
    }
    case "array": {
      const min = num(schema["minItems"]) ?? 1
      const count = Math.min(Math.max(min, 1), num(schema["maxItems"]) ?? Number.POSITIVE_INFINITY)
      return Array.from({ length: count }, (_, i) => valueFor(schema["items"], root, `${name} ${i + 1}`, cursor))
    }
    case "string": {
      const format = typeof schema["format"] === "string" ? formats[schema["format"]] : undefined
      const min = num(schema["minLength"]) ?? 0
      const max = num(schema["maxLength"]) ?? Number.POSITIVE_INFINITY
      let value = format ?? cursor.take(name.replace(/[_-]+/g, " "))
      while (value.length < min) value = `${value} ${value}`
      return value.length > max ? value.slice(0, max).trimEnd().padEnd(Math.min(min, max), ".") : value
    }
    case "integer":
    case "number": {
      const exclusiveMin = num(schema["exclusiveMinimum"])
      const exclusiveMax = num(schema["exclusiveMaximum"])
      const minimum = num(schema["minimum"]) ?? (exclusiveMin === undefined ? undefined : exclusiveMin + 1)
      const maximum = num(schema["maximum"]) ?? (exclusiveMax === undefined ? undefined : exclusiveMax - 1)
      const step = num(schema["multipleOf"]) ?? 1
      let value = minimum ?? Math.min(0, maximum ?? 0)
      value = Math.ceil(value / step) * step
      return type === "integer" ? Math.ceil(value) : value
    }
    case "boolean":
      return true
    default:
      return null
  }
}
