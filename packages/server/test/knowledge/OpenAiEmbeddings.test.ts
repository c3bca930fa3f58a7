import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { afterAll, beforeAll } from "vitest"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeSearch } from "../../src/Knowledge/Search.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { pglite } from "../support/TestDatabase.js"
import { knowledgeCorpus, SearchQuery } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { Schema } from "effect"

/** The real `openai` SDK against our OpenAI-compatible fake. */
let fake: LlmFake
beforeAll(async () => {
  fake = await start({ port: 0 })
})
afterAll(() => fake.close())

const openai = () =>
  Embeddings.openai({
    apiKey: Redacted.make("test-key"),
    baseURL: fake.openaiBaseUrl,
    model: "text-embedding-3-small",
    dimensions: 1536
  })

describe("OpenAI embeddings", () => {
  it.live("embeds a batch in order, 1536 dimensions each, in one request", () =>
    Effect.gen(function*() {
      fake.reset()
      const embeddings = yield* Embeddings
      const vectors = yield* embeddings.embed(["psychological safety", "favour trading"])
      expect(vectors).toHaveLength(2)
      expect(vectors.every((v) => v.length === 1536)).toBe(true)
      expect(Array.from(vectors[0]!)).not.toEqual(Array.from(vectors[1]!))
      const requests = fake.journal.entries({ provider: "openai" })
      expect(requests).toHaveLength(1)
      expect(requests[0]?.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 1536 })
    }).pipe(Effect.provide(openai())))

  it.live("a provider failure is a typed EmbeddingsUnavailable, not a defect (a 401: not retried)", () =>
    Effect.gen(function*() {
      fake.reset()
      fake.script.next({ kind: "error", error: "unauthorized" })
      const embeddings = yield* Embeddings
      const error = yield* Effect.flip(embeddings.embed(["anything"]))
      expect(error._tag).toBe("EmbeddingsUnavailable")
      expect(error.model).toBe("text-embedding-3-small")
      expect(fake.journal.entries({ provider: "openai" })).toHaveLength(1)
    }).pipe(Effect.provide(openai())))

  it.live("search degrades to keywords when the provider fails, and says so", () =>
    Effect.gen(function*() {
      fake.reset()
      // A retry-after beyond the request's retry budget: no wait, no retry.
      fake.script.next({ kind: "error", error: "rate_limited", retryAfterSeconds: 30 })
      const knowledge = yield* KnowledgeSearch
      const result = yield* knowledge.search(Schema.decodeUnknownSync(SearchQuery)({ query: "trust" }))
      expect(result.degraded).toBe(true)
      expect(result.model).toBe("text-embedding-3-small")
    }).pipe(
      Effect.provide(KnowledgeSearch.Default.pipe(Layer.provide(openai()), Layer.provide(MigrationsLive), Layer.provideMerge(pglite.layer)))
    ), 120_000)

  it.live("searches with OpenAI vectors through the 1536-dimension index, filters included", () =>
    Effect.gen(function*() {
      fake.reset()
      const store = yield* KnowledgeStore
      const corpus = knowledgeCorpus.filter((chunk) => chunk.pillar === "divsexp")
      expect((yield* store.seed(corpus)).embedded).toBe(corpus.length)
      const knowledge = yield* KnowledgeSearch
      const result = yield* knowledge.search(
        Schema.decodeUnknownSync(SearchQuery)({ query: "speaking up", mode: "egalitarian", limit: 5 })
      )
      expect(result.degraded).toBe(false)
      expect(result.model).toBe("text-embedding-3-small")
      expect(result.results).toHaveLength(5)
      // The fake's vectors carry no meaning, but every result came through the semantic half.
      expect(result.results.every((r) => r.scores.vector !== null && r.mode === "egalitarian")).toBe(true)
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ model: string; dims: number }>`
        select model, vector_dims(embedding) as dims from app.knowledge_embeddings limit 1`
      expect(row).toEqual({ model: "text-embedding-3-small", dims: 1536 })
    }).pipe(
      Effect.provide(
        Layer.mergeAll(KnowledgeSearch.Default, KnowledgeStore.Default).pipe(
          Layer.provide(openai()),
          Layer.provideMerge(PilarSeedLive),
          Layer.provideMerge(MigrationsLive),
          Layer.provideMerge(pglite.layer)
        )
      )
    ), 120_000)
})
