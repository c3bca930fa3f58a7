import { knowledgeCorpus, relevanceCases, SearchQuery } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Data, Effect, Layer, Schema } from "effect"
import { Embeddings, EmbeddingsUnavailable } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeSearch } from "../../src/Knowledge/Search.js"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { databases } from "../support/TestDatabase.js"

/** Ends a transaction with a rollback, carrying out what was read inside it. */
class RolledBack extends Data.TaggedError("RolledBack")<{ readonly result: readonly [Array<string>, Array<string>] }> {}

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

    it.effect("the nearest-neighbour query is planned on the model's partial HNSW index, filters included (EXPLAIN)", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const vector = `[${Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)).join(",")}]`
        // 217 rows are cheaper to scan than to index: forbid the scan to prove the index applies.
        const explain = (pillar: string | null) =>
          sql.withTransaction(
            Effect.zipRight(
              sql`select set_config('enable_seqscan', 'off', true)`,
              sql<{ "QUERY PLAN": string }>`
                explain select * from app.nearest_offline_hash_v1(${vector}::vector, ${pillar}::text, null, null, 10)`
            )
          ).pipe(Effect.map((rows) => rows.map((row) => Object.values(row)[0]).join("\n")))
        // Inlined (no Function Scan): the function's query is planned inside the caller's statement.
        const plain = yield* explain(null)
        expect(plain).toContain("Index Scan using knowledge_embeddings_offline_hnsw")
        expect(plain).not.toContain("Function Scan")
        const filtered = yield* explain("divsexp")
        expect(filtered).toContain("Index Scan using knowledge_embeddings_offline_hnsw")
        expect(filtered).toMatch(/Filter: .*pillar = 'divsexp'/)
      }))

    it.effect("a production search scans the HNSW index, unforced (the database's own scan counters)", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const knowledge = yield* KnowledgeSearch
        const scans = sql<{ scans: string }>`
          select pg_stat_get_xact_numscans('app.knowledge_embeddings_offline_hnsw'::regclass) as scans`.pipe(
            Effect.map((rows) => Number(rows[0]!.scans))
          )
        // One transaction, so that the counters read are this connection's, and the search's.
        const [before, after] = yield* sql.withTransaction(Effect.gen(function*() {
          const before = yield* scans
          yield* knowledge.search(query({ query: "people are afraid to disagree in meetings" }))
          yield* knowledge.search(query({ query: "credit for work", mode: "hierarchical" }))
          return [before, yield* scans] as const
        }))
        expect(after - before).toBe(2)
      }))

    it.effect("keyword candidates come from the query's rarest words; every word still counts in the rank", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const keywordIds = (text: string) =>
          sql<{ id: string }>`
            select id from app.search_knowledge('offline-hash-v1', null, ${text}, null, null, null, 10, 0)`.pipe(
              Effect.map((rows) => rows.map((row) => row.id))
            )
        // 600 passages sharing one common word, two with a rare one: inside a transaction that is
        // rolled back, so the seeded corpus stays as the other tests expect it.
        const [both, commonOnly] = yield* sql.withTransaction(Effect.gen(function*() {
          yield* sql`
            insert into app.knowledge_chunks (id, title, body, category, content_hash, source)
            select 'test:common-' || n, 'Notes', 'The squad met and the squad agreed on the plan.', 'guidance', 'test', 'test'
            from generate_series(1, 600) as n`
          yield* sql`
            insert into app.knowledge_chunks (id, title, body, category, content_hash, source) values
              ('test:rare-with-common', 'Notes', 'The squad discussed zeppelins at length.', 'guidance', 'test', 'test'),
              ('test:rare-alone', 'Notes', 'Zeppelins drifted over the harbour.', 'guidance', 'test', 'test')`
          yield* sql`select app.refresh_knowledge_terms()`
          const result = [yield* keywordIds("squad zeppelins"), yield* keywordIds("squad")] as const
          return yield* new RolledBack({ result })
        })).pipe(Effect.catchTag("RolledBack", ({ result }) => Effect.succeed(result)))
        // "squad" occurs in 601 chunks: past the bound, it does not select candidates, but it ranks them.
        expect(both).toEqual(["test:rare-with-common", "test:rare-alone"])
        // A query of common words only still answers, from a bounded number of candidates.
        expect(commonOnly).toHaveLength(10)
        const terms = yield* sql<{ chunks: number }>`select chunks from app.knowledge_terms where lexeme = 'squad'`
        expect(terms).toHaveLength(0)
      }))
  })
})
