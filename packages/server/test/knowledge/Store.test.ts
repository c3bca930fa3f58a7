import { ChunkId, KnowledgeChunk } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { databases } from "../support/TestDatabase.js"

const chunk = (id: string, text: string, extra: Partial<KnowledgeChunk> = {}) =>
  new KnowledgeChunk({
    id: ChunkId.make(id),
    title: id,
    text,
    pillar: "divsexp",
    mode: "egalitarian",
    category: "force",
    ...extra
  })

const corpus = [
  chunk("force:a", "Members can disagree with the group without fear."),
  chunk("force:b", "Help circulates without anyone keeping score.", { pillar: "indrecip" }),
  chunk("guidance:c", "Read scores in three bands: low, mid and high.", { pillar: null, mode: null, category: "scoring" })
]

/** Offline embeddings, counting what is embedded. */
const embedded: Array<string> = []
const countingOffline = Layer.effect(
  Embeddings,
  Effect.map(Embeddings, (offline) => ({
    ...offline,
    embed: (texts: ReadonlyArray<string>) => Effect.zipRight(Effect.sync(() => embedded.push(...texts)), offline.embed(texts))
  }))
).pipe(Layer.provide(Embeddings.offline))

describe.each(databases)("knowledge store on $name", ({ layer: database }) => {
  const store = KnowledgeStore.Default.pipe(
    Layer.provide(countingOffline),
    Layer.provideMerge(PilarSeedLive),
    Layer.provideMerge(MigrationsLive),
    Layer.provideMerge(database)
  )

  layer(store, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("seeds chunks and their embeddings once; a second seed changes nothing", () =>
      Effect.gen(function*() {
        embedded.length = 0
        const knowledge = yield* KnowledgeStore
        expect(yield* knowledge.seed(corpus)).toEqual({ written: 3, removed: 0, embedded: 3 })
        expect(yield* knowledge.seed(corpus)).toEqual({ written: 0, removed: 0, embedded: 0 })
        expect(embedded).toHaveLength(3)
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ model: string; dims: number; copied: boolean }>`
          select e.model, vector_dims(e.embedding) as dims,
                 e.pillar is not distinct from c.pillar and e.mode is not distinct from c.mode
                   and e.category = c.category as copied
          from app.knowledge_embeddings e join app.knowledge_chunks c on c.id = e.chunk_id`
        expect(rows).toHaveLength(3)
        expect(rows.every((r) => r.model === "offline-hash-v1" && Number(r.dims) === 384)).toBe(true)
        // Filtered vector search reads the chunk's filter columns beside its embedding.
        expect(rows.every((r) => r.copied)).toBe(true)
      }))

    it.effect("re-embeds only the chunk whose text changed, and removes chunks that left the corpus", () =>
      Effect.gen(function*() {
        embedded.length = 0
        const knowledge = yield* KnowledgeStore
        const edited = [corpus[0]!, chunk("force:b", "Favours are passed on to whoever needs them next.", { pillar: "indrecip" })]
        expect(yield* knowledge.seed(edited)).toEqual({ written: 1, removed: 1, embedded: 1 })
        expect(embedded).toEqual(["force:b\nFavours are passed on to whoever needs them next."])
        const sql = yield* SqlClient.SqlClient
        const ids = yield* sql<{ id: string }>`select chunk_id as id from app.knowledge_embeddings order by 1`
        expect(ids.map((r) => r.id)).toEqual(["force:a", "force:b"])
      }))

    it.effect("counts the chunks of each word for keyword search, again after a change", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const chunksWith = (lexeme: string) =>
          sql<{ chunks: number }>`select chunks from app.knowledge_terms where lexeme = ${lexeme}`.pipe(
            Effect.map((rows) => Number(rows[0]?.chunks ?? 0))
          )
        // After the edit above: force:a and force:b remain; "favour" came with the edit.
        expect(yield* chunksWith("disagre")).toBe(1)
        expect(yield* chunksWith("favour")).toBe(1)
        expect(yield* chunksWith("band")).toBe(0)
      }))

    it.effect("leaves chunks from another source alone: not removed, not embedded", () =>
      Effect.gen(function*() {
        embedded.length = 0
        const sql = yield* SqlClient.SqlClient
        yield* sql`
          insert into app.knowledge_chunks (id, title, body, category, content_hash, source)
          values ('generated:000001', 'Generated', 'A passage loaded by someone else.', 'guidance', 'x', 'generated')`
        const knowledge = yield* KnowledgeStore
        expect(yield* knowledge.seed([corpus[0]!])).toEqual({ written: 0, removed: 1, embedded: 0 })
        expect(embedded).toEqual([])
        const ids = yield* sql<{ id: string }>`select id from app.knowledge_chunks order by id`
        expect(ids.map((r) => r.id)).toEqual(["force:a", "generated:000001"])
      }))

    it.effect("full-text search finds a chunk by a word of its body", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        const hits = yield* sql<{ id: string }>`
          select id from app.knowledge_chunks where search @@ websearch_to_tsquery('english', 'disagreeing')`
        expect(hits.map((r) => r.id)).toEqual(["force:a"])
      }))

    it.effect("refuses a configured model whose dimension differs from the stored one, naming both", () =>
      Effect.gen(function*() {
        const wrong = KnowledgeStore.Default.pipe(
          Layer.provide(Layer.succeed(Embeddings, {
            model: "offline-hash-v1",
            dimensions: 512,
            embed: () => Effect.succeed([])
          }))
        )
        const error = yield* Effect.flip(Effect.flatMap(KnowledgeStore, (k) => k.seed(corpus)).pipe(Effect.provide(wrong)))
        expect(error._tag).toBe("EmbeddingDimensionMismatch")
        expect(error.message).toContain("512")
        expect(error.message).toContain("384")
        expect(error.message).toContain("offline-hash-v1")
      }))
  })
})
