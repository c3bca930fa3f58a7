import { forcesOf, pillars, quizOutputName, quizProblems } from "@compilar/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { quizOutput } from "../../src/Assessments/QuizWriter.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { makeOffline } from "../../src/Llm/Offline.js"
import type { ChatRequest, LlmProvider } from "../../src/Llm/Provider.js"

const requestFor = (pillar: (typeof pillars)[number]["id"]): ChatRequest => ({
  system: "Write the quiz.",
  messages: [{ role: "user", content: `Write a quiz on ${pillar}.\n\nContext:\nSome passage about the pillar that has enough words.` }],
  schema: { name: quizOutputName, jsonSchema: quizOutput(pillar).jsonSchema }
})

/** A structured answer in the quiz's shape, every slot as the plan says. */
const validDraft = (pillar: (typeof pillars)[number]["id"]) =>
  Object.fromEntries(quizOutput(pillar).plan.map((slot, i) => [slot.id, { force: slot.force, reverse: slot.reverse, statement: `Statement number ${i + 1}.` }]))

describe("the quiz's structured output", () => {
  it.effect("the JSON schema fixes each slot's force and keying and suits strict structured outputs", () =>
    Effect.sync(() => {
      const { jsonSchema, plan } = quizOutput("divsexp")
      expect(jsonSchema["$schema"]).toBeUndefined()
      expect(jsonSchema).toMatchObject({ type: "object", additionalProperties: false, required: plan.map((s) => s.id) })
      const text = JSON.stringify(jsonSchema)
      // OpenAI's strict mode refuses length keywords: lengths are checked when decoding instead.
      expect(text).not.toMatch(/minLength|maxLength|pattern/)
      const properties = jsonSchema["properties"] as Record<string, { properties: Record<string, { enum?: Array<unknown> }>; required: Array<string>; additionalProperties: boolean }>
      for (const slot of plan) {
        expect(properties[slot.id]).toMatchObject({ required: ["force", "reverse", "statement"], additionalProperties: false })
        expect(properties[slot.id]!.properties["force"]!.enum).toEqual([slot.force])
        expect(properties[slot.id]!.properties["reverse"]!.enum).toEqual([slot.reverse])
      }
    }))

  it.effect("decoding accepts a quiz as planned and refuses a wrong force or keying, a missing slot, an empty or overlong statement", () =>
    Effect.sync(() => {
      const { questions, schema } = quizOutput("indrecip")
      const decode = Schema.decodeUnknownEither(schema)
      const valid = validDraft("indrecip")
      const decoded = decode(valid)
      expect(decoded._tag).toBe("Right")
      if (decoded._tag === "Right") expect(quizProblems("indrecip", questions(decoded.right))).toEqual([])

      const { q03: _, ...missing } = valid
      const broken: ReadonlyArray<unknown> = [
        { ...valid, q01: { ...valid["q01"], force: forcesOf("indrecip")[1]!.id } },
        { ...valid, q02: { ...valid["q02"], reverse: !valid["q02"]!.reverse } },
        missing,
        { ...valid, q04: { ...valid["q04"], statement: "   " } },
        { ...valid, q05: { ...valid["q05"], statement: "x".repeat(301) } },
        { questions: [] }
      ]
      for (const draft of broken) expect(decode(draft)._tag, JSON.stringify(draft).slice(0, 80)).toBe("Left")
      // Statements are trimmed.
      const padded = decode({ ...valid, q01: { ...valid["q01"], statement: "  Padded statement.  " } })
      expect(padded._tag === "Right" && padded.right["q01"]!.statement).toBe("Padded statement.")
    }))
})

describe("the offline provider's quiz", () => {
  it.effect("every pillar: a valid quiz from the dataset, ten different readable statements, the same every time", () =>
    Effect.gen(function*() {
      const offline = makeOffline()
      for (const pillar of pillars) {
        const { questions, schema } = quizOutput(pillar.id)
        const answer = yield* offline.chat(requestFor(pillar.id))
        const draft = yield* Schema.decodeUnknown(schema)(answer.structured)
        const quiz = questions(draft)
        expect(quizProblems(pillar.id, quiz)).toEqual([])
        expect(new Set(quiz.map((q) => q.text)).size).toBe(10)
        for (const q of quiz) {
          expect(q.text).toMatch(/^[A-Z][^]{20,200}[.]$/)
          // Hierarchical pillars rate the learner's own position: first person, never "the person".
          expect(q.text).not.toMatch(/the person/i)
        }
        const again = yield* offline.chat(requestFor(pillar.id))
        expect(again.structured).toEqual(answer.structured)
      }
    }))

  it.effect("reverse-keyed statements are the dataset's weak signals, normally keyed ones its strong signals", () =>
    Effect.gen(function*() {
      const answer = yield* makeOffline().chat(requestFor("divsexp"))
      const draft = answer.structured as Record<string, { force: string; reverse: boolean; statement: string }>
      const safety = forcesOf("divsexp")[0]!
      expect(draft["q01"]).toEqual({ force: safety.id, reverse: false, statement: safety.highSignal })
      expect(draft["q09"]).toEqual({ force: safety.id, reverse: true, statement: safety.lowSignal })
    }))

  it.live("a provider's invalid quiz is retried, then the gateway falls over to the offline provider", () =>
    Effect.gen(function*() {
      let calls = 0
      const sloppy: LlmProvider = {
        ...makeOffline({ model: "sloppy-1" }),
        name: "openai",
        // Every slot written, but all for the first force: the decode refuses it.
        chat: () =>
          Effect.sync(() => {
            calls++
            const draft = validDraft("popularity")
            const first = forcesOf("popularity")[0]!.id
            const wrong = Object.fromEntries(Object.entries(draft).map(([id, slot]) => [id, { ...slot, force: first }]))
            return { text: JSON.stringify(wrong), finishReason: "stop" as const, usage: "unknown" as const, structured: wrong }
          })
      }
      const breakers = yield* makeBreakers({})
      const gateway = makeGateway({ providers: [sloppy, makeOffline()], breakers, retry: { baseDelayMs: 1, maxDelayMs: 2, budgetMs: 1_000 } })
      const { questions, schema } = quizOutput("popularity")
      const answer = yield* gateway.chat(requestFor("popularity"), schema)
      expect(answer.provider).toBe("offline")
      expect(calls).toBeGreaterThanOrEqual(2)
      expect(quizProblems("popularity", questions(answer.value))).toEqual([])
    }))
})
