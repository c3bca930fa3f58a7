import { knowledgeCorpus, relevanceCases, SearchQuery } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { Embeddings, EmbeddingsUnavailable } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeSearch } from "../../src/Knowledge/Search.js"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { databases } from "../support/TestDatabase.js"

const query = (input: Record<string, unknown>) => Schema.decodeUnknownSync(SearchQuery)(input)

const seeded = Layer.effectDiscard(Effect.flatMap(KnowledgeStore, (store) => store.seed(knowledgeCorpus))).pipe(
  Layer.provide(KnowledgeStore.Default)
)

describe.each(databases)("knowledge search on $name", ({ layer: database }) => {
  const services = Layer.mergeAll(KnowledgeSearch.Default, seeded).pipe(
    Layer.provideMerge(Embeddings.offline),
    Layer.provideMerge(PilarSeedLive),
    Layer.provideMerge(MigrationsLive),
    Layer.provideMerge(database)
  )

  layer(services, { excludeTestServices: true, timeout: 180_000 })((it) => {
    it.effect(`finds the expected passage for ${relevanceCases.length} learner questions: recall@5 ≥ 0.8 (MRR reported)`, () =>
      Effect.gen(function*() {
        const knowledge = yield* KnowledgeSearch
        let found = 0
        let reciprocal = 0
        const misses: Array<string> = []
        for (const { expected, query: text } of relevanceCases) {
          const { results } = yield* knowledge.search(query({ query: text, limit: 10 }))
          const ids = results.map((r) => r.id as string)
          const rank = ids.findIndex((id) => (expected as ReadonlyArray<string>).includes(id))
          if (rank >= 0 && rank < 5) found++
          else misses.push(`${text} → ${ids.slice(0, 5).join(", ")}`)
          if (rank >= 0) reciprocal += 1 / (rank + 1)
        }
        const recall = found / relevanceCases.length
        const mrr = reciprocal / relevanceCases.length
        console.info(`[search] recall@5 ${recall.toFixed(2)}, MRR ${mrr.toFixed(2)} over ${relevanceCases.length} cases`)
        if (misses.length > 0) console.info(`[search] misses:\n  ${misses.join("\n  ")}`)
        expect(recall).toBeGreaterThanOrEqual(0.8)
      }))

    it.effect("filters by pillar, mode and category, and scores both halves", () =>
      Effect.gen(function*() {
        const knowledge = yield* KnowledgeSearch
        const byPillar = yield* knowledge.search(query({ query: "speaking up and disagreeing", pillar: "divsexp" }))
        expect(byPillar.results.length).toBeGreaterThan(0)
        expect(byPillar.results.every((r) => r.pillar === "divsexp")).toBe(true)
        const byMode = yield* knowledge.search(query({ query: "rank and authority", mode: "hierarchical", limit: 20 }))
        expect(byMode.results.every((r) => r.mode === "hierarchical")).toBe(true)
        const byCategory = yield* knowledge.search(query({ query: "credit for work", category: "force" }))
        expect(byCategory.results.every((r) => r.category === "force")).toBe(true)
        const top = byPillar.results[0]!
        expect(top.scores.fused).toBeGreaterThan(0)
        expect(byPillar.degraded).toBe(false)
        expect(byPillar.results.some((r) => r.scores.vector !== null && r.scores.keyword !== null)).toBe(true)
      }))

    it.effect("a filter matching few rows still returns a full page (iterative index scans)", () =>
      Effect.gen(function*() {
        const knowledge = yield* KnowledgeSearch
        const { results } = yield* knowledge.search(query({ query: "group", pillar: "status", mode: "hierarchical", limit: 15 }))
        const available = knowledgeCorpus.filter((c) => c.pillar === "status" && c.mode === "hierarchical").length
        expect(results).toHaveLength(Math.min(15, available))
      }))

    it.effect("when embeddings fail, keyword search answers alone and says degraded", () =>
      Effect.gen(function*() {
        const failing = Layer.succeed(Embeddings, {
          model: "offline-hash-v1",
          dimensions: 384,
          embed: () => Effect.fail(new EmbeddingsUnavailable({ model: "offline-hash-v1", message: "provider down" }))
        })
        const result = yield* Effect.flatMap(KnowledgeSearch, (k) => k.search(query({ query: "psychological safety" }))).pipe(
          Effect.provide(KnowledgeSearch.Default.pipe(Layer.provide(failing)))
        )
        expect(result.degraded).toBe(true)
        expect(result.results.length).toBeGreaterThan(0)
        expect(result.results.every((r) => r.scores.vector === null && r.scores.keyword !== null)).toBe(true)
      }))

    it.effect("the semantic query shape matches the model's partial HNSW index (EXPLAIN)", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const vector = `[${Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)).join(",")}]`
        // 217 rows are cheaper to scan than to index: forbid the scan to prove the index applies.
        const plan = yield* sql.withTransaction(
          Effect.zipRight(
            sql`select set_config('enable_seqscan', 'off', true)`,
            sql<{ "QUERY PLAN": string }>`
              explain select e.chunk_id from app.knowledge_embeddings e
              where e.model = 'offline-hash-v1'
              order by e.embedding::vector(384) <=> ${vector}::vector(384) limit 10`
          )
        )
        expect(plan.map((row) => Object.values(row)[0]).join("\n")).toContain("knowledge_embeddings_offline_hnsw")
      }))
  })
})
