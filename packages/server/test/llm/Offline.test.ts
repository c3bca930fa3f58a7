import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, JSONSchema, Schema, Stream } from "effect"
import { makeOffline, OFFLINE_MODEL, words } from "../../src/Llm/Offline.js"
import type { ChatRequest, StreamEvent } from "../../src/Llm/Provider.js"

const offline = makeOffline()

const context = [
  "Psychological safety is the shared belief that a team is safe for interpersonal risk taking.",
  "Teams with high psychological safety report errors earlier and learn faster.",
  "Favour trading builds reciprocal obligations between colleagues over time.",
  "Status differences shape who speaks first in meetings."
].join(" ")

const grounded: ChatRequest = {
  system: `You are a coach. Use only this material. ${context}`,
  messages: [{ role: "user", content: "Why does psychological safety matter for learning in teams?" }]
}

describe("Offline provider", () => {
  it("names itself offline, with its own model", () => {
    expect(offline.name).toBe("offline")
    expect(offline.model).toBe(OFFLINE_MODEL)
  })

  it.effect("answers from the context in the prompt, the most relevant sentences first-in-order, without echoing the question", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat(grounded)
      expect(result.finishReason).toBe("stop")
      expect(result.text).toContain("Psychological safety is the shared belief")
      expect(result.text).toContain("learn faster")
      expect(result.text).not.toContain("Why does psychological safety matter")
      expect(result.text).not.toContain("You are a coach")
      expect(result.text).toMatch(/^[A-Z].*[.!?]$/)
      expect(yield* offline.chat(grounded)).toEqual(result)
    }))

  it.effect("context after a `Context:` line of the last message counts too", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat({
        messages: [{ role: "user", content: `What builds obligations between colleagues?\nContext:\n${context}` }]
      })
      expect(result.text).toContain("Favour trading builds reciprocal obligations")
      expect(result.text).not.toContain("What builds obligations")
    }))

  it.effect("no context: a readable, deterministic answer that says so", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat({ messages: [{ role: "user", content: "Tell me about trust." }] })
      expect(result.text).toMatch(/offline/)
      expect(result.text).not.toContain("Tell me about trust")
    }))

  it.effect("exact usage: input words of the prompt, output words of the answer", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat(grounded)
      const prompt = [grounded.system ?? "", ...grounded.messages.map((m) => m.content)].join(" ")
      expect(result.usage).toEqual({ inputTokens: words(prompt).length, outputTokens: words(result.text).length })
    }))

  it.effect("streams the same text in word chunks, then Done with the same finish reason and usage", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat(grounded)
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(offline.stream(grounded)))
      const deltas = events.flatMap((e: StreamEvent) => (e._tag === "Delta" ? [e.text] : []))
      expect(deltas).toEqual(words(result.text))
      expect(deltas.join("")).toBe(result.text)
      expect(events.at(-1)).toEqual({ _tag: "Done", finishReason: "stop", usage: result.usage })
    }))

  it.effect("max tokens cuts the answer: finish reason length, usage counts what was sent", () =>
    Effect.gen(function*() {
      const result = yield* offline.chat({ ...grounded, maxTokens: 5 })
      expect(result.finishReason).toBe("length")
      expect(words(result.text)).toHaveLength(5)
      expect(result.usage).toMatchObject({ outputTokens: 5 })
      const events = Chunk.toReadonlyArray(yield* Stream.runCollect(offline.stream({ ...grounded, maxTokens: 5 })))
      expect(events).toHaveLength(6)
      expect(events.at(-1)).toMatchObject({ _tag: "Done", finishReason: "length" })
    }))

  it.effect("structured output: a deterministic value valid against the JSON schema of an Effect Schema, strings from the context", () =>
    Effect.gen(function*() {
      const Option = Schema.Struct({ text: Schema.String.pipe(Schema.minLength(3)), correct: Schema.Boolean })
      const QuizItem = Schema.Struct({
        question: Schema.String.pipe(Schema.minLength(20), Schema.maxLength(200)),
        pillar: Schema.Literal("divsexp", "indrecip", "grpstat"),
        difficulty: Schema.Int.pipe(Schema.between(1, 5)),
        options: Schema.Array(Option).pipe(Schema.minItems(4), Schema.maxItems(4)),
        note: Schema.NullOr(Schema.String),
        tags: Schema.optional(Schema.Array(Schema.String))
      })
      const request: ChatRequest = {
        ...grounded,
        schema: { name: "QuizItem", jsonSchema: JSONSchema.make(QuizItem) as unknown as Record<string, unknown> }
      }
      const result = yield* offline.chat(request)
      const item = yield* Schema.decodeUnknown(QuizItem)(result.structured)
      expect(item.options).toHaveLength(4)
      expect(item.pillar).toBe("divsexp")
      expect(item.difficulty).toBe(1)
      expect(context).toContain(item.question)
      expect(JSON.parse(result.text)).toEqual(result.structured)
      expect(yield* offline.chat(request)).toEqual(result)
      const streamed = Chunk.toReadonlyArray(yield* Stream.runCollect(offline.stream(request)))
      expect(streamed.flatMap((e) => (e._tag === "Delta" ? [e.text] : [])).join("")).toBe(result.text)
    }))

  it.effect("a structured answer cut by max tokens → LlmInvalidOutput; no user message → LlmBadRequest", () =>
    Effect.gen(function*() {
      const schema = { name: "Note", jsonSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] } }
      expect(yield* Effect.flip(offline.chat({ ...grounded, schema, maxTokens: 2 }))).toMatchObject({ _tag: "LlmInvalidOutput" })
      expect(yield* Effect.flip(offline.chat({ messages: [] }))).toMatchObject({ _tag: "LlmBadRequest", provider: "offline" })
      expect(yield* Effect.flip(Stream.runDrain(offline.stream({ messages: [] })))).toMatchObject({ _tag: "LlmBadRequest" })
    }))
})
