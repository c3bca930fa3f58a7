import { forcesOf, quizProblems } from "@compilar/domain"
import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer } from "effect"
import { databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"
import { learner, llmFrom, seededDatabase } from "./support.js"

/**
 * Provider failure during quiz generation: the real SDKs against llm-fake, OpenAI first. When
 * OpenAI fails, the gateway falls over (Anthropic, then the offline provider) and the same
 * journey completes; the quiz records who wrote it.
 */
class Fake extends Context.Tag("test/LlmFake")<Fake, LlmFake>() {}

const FakeLive = Layer.scoped(
  Fake,
  Effect.acquireRelease(Effect.promise(() => start({ port: 0 })), (fake) => Effect.promise(() => fake.close()))
)

const llm = Layer.unwrapEffect(Effect.map(Fake, (fake) =>
  llmFrom({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: fake.openaiBaseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test",
    ANTHROPIC_BASE_URL: fake.anthropicBaseUrl,
    LLM_PROVIDERS: "openai,anthropic,offline"
  }))).pipe(Layer.provide(FakeLive))

describe.each(databases)("quiz generation falling over on $name", ({ layer: database }) => {
  const db = seededDatabase(database)
  const server = TestServer.layer({ database: db, llm }).pipe(Layer.provideMerge(FakeLive), Layer.provideMerge(db))

  /** Creates, generates, answers every question and completes: the whole journey, whoever writes the quiz. */
  const journey = (pillar: "divsexp" | "status") =>
    Effect.gen(function*() {
      const ada = yield* learner("ada")
      const a = yield* ada.client.assessments.create({ payload: { pillar, mode: pillar === "divsexp" ? "egalitarian" : "hierarchical" } })
      const quiz = yield* ada.client.assessments.generateQuestions({ path: { id: a.id } })
      expect(quizProblems(pillar, quiz.questions)).toEqual([])
      for (const q of quiz.questions) {
        yield* ada.client.assessments.answer({ path: { id: a.id, questionId: q.id }, payload: { value: q.reverse ? 2 : 4 }, headers: {} })
      }
      const results = yield* ada.client.assessments.complete({ path: { id: a.id } })
      expect(results.pillarScore).toBe(75)
      const sql = yield* SqlClient.SqlClient
      const [written] = yield* sql<{ provider: string }>`select provider from app.quizzes where assessment_id = ${a.id}`
      return { quiz, provider: written!.provider }
    })

  layer(server, { excludeTestServices: true, timeout: 240_000 })((it) => {
    it.effect("OpenAI failing (500s, retried) → Anthropic writes the quiz → the journey completes", () =>
      Effect.gen(function*() {
        const fake = yield* Fake
        fake.reset()
        fake.script.next({ kind: "error", error: "server_error" }, { match: { provider: "openai" }, times: 20 })
        const { provider } = yield* journey("divsexp")
        expect(provider).toBe("anthropic")
        const openai = fake.journal.entries({ provider: "openai", endpoint: "chat" })
        expect(openai.length).toBeGreaterThanOrEqual(1)
        expect(openai.every((entry) => entry.status === 500)).toBe(true)
        const anthropic = fake.journal.entries({ provider: "anthropic", endpoint: "messages" })
        expect(anthropic.map((entry) => entry.outcome)).toEqual(["completed"])
        // The request carried the quiz's schema as a forced tool, with the grounding passages.
        const body = anthropic[0]!.body as { tools: Array<{ name: string }>; messages: Array<{ content: unknown }> }
        expect(body.tools[0]!.name).toBe("pilar_quiz")
        expect(JSON.stringify(body.messages)).toMatch(/\[(pillar|force|guidance):divsexp[.:]/)
      }), 240_000)

    it.effect("OpenAI and Anthropic both failing → the offline provider writes it from the dataset → the journey completes", () =>
      Effect.gen(function*() {
        const fake = yield* Fake
        fake.reset()
        fake.script.next({ kind: "error", error: "unavailable" }, { match: { provider: "openai" }, times: 20 })
        fake.script.next({ kind: "error", error: "overloaded" }, { match: { provider: "anthropic" }, times: 20 })
        const { provider, quiz } = yield* journey("status")
        expect(provider).toBe("offline")
        expect(quiz.questions[0]!.force).toBe(forcesOf("status")[0]!.id)
        expect(quiz.questions[0]!.text).toBe("My role clearly entitles me to make binding decisions for others.")
        expect(fake.journal.entries({ provider: "anthropic" }).every((entry) => entry.outcome === "error")).toBe(true)
      }), 240_000)
  })
})
