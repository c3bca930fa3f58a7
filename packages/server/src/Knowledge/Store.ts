import { chunkContentHash as contentHash, type KnowledgeChunk } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Data, Effect } from "effect"
import { Embeddings, type EmbeddingsUnavailable } from "./Embeddings.js"
import { vectorLiteral } from "./QueryVectors.js"

export class EmbeddingDimensionMismatch extends Data.TaggedError("EmbeddingDimensionMismatch")<{
  readonly model: string
  readonly configured: number
  readonly stored: number
}> {
  override get message() {
    return `Embedding model ${this.model} is configured with ${this.configured} dimensions, ` +
      `but the database stores it with ${this.stored}. Use another model name, or re-embed into a fresh database.`
  }
}

export interface SeedReport {
  /** Chunks inserted or changed. */
  readonly written: number
  /** Chunks removed because they left the corpus. */
  readonly removed: number
  /** Chunks (re-)embedded for the configured model. */
  readonly embedded: number
}

const EMBED_BATCH = 64

/**
 * The knowledge base in the database: seeds the versioned corpus idempotently (by content
 * hash) and keeps the configured model's embeddings in step, re-embedding only what changed.
 * It manages the corpus's own chunks (`source = 'corpus'`) and leaves any others alone.
 * Embedding runs outside transactions: a remote model must not hold a database connection.
 */
export class KnowledgeStore extends Effect.Service<KnowledgeStore>()("Knowledge/Store", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const embeddings = yield* Embeddings

    /** Records the model's dimension on first use; refuses a model stored with another one. */
    const registerModel = Effect.gen(function*() {
      const rows = yield* sql<{ readonly dimensions: number }>`
        select dimensions from app.embedding_models where model = ${embeddings.model}`
      const stored = rows[0]?.dimensions
      if (stored === undefined) {
        yield* sql`insert into app.embedding_models (model, dimensions)
          values (${embeddings.model}, ${embeddings.dimensions}) on conflict (model) do nothing`
      } else if (Number(stored) !== embeddings.dimensions) {
        return yield* new EmbeddingDimensionMismatch({
          model: embeddings.model,
          configured: embeddings.dimensions,
          stored: Number(stored)
        })
      }
    })

    const writeChunks = (corpus: ReadonlyArray<KnowledgeChunk>) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`select pg_advisory_xact_lock(hashtext('compilar:knowledge-seed'))`
        const stored = yield* sql<{ readonly id: string; readonly content_hash: string }>`
          select id, content_hash from app.knowledge_chunks where source = 'corpus'`
        const hashes = new Map(stored.map((row) => [row.id, row.content_hash]))
        const changed = corpus.filter((chunk) => hashes.get(chunk.id) !== contentHash(chunk))
        for (const chunk of changed) {
          yield* sql`
            insert into app.knowledge_chunks (id, title, body, keywords, pillar, mode, category, content_hash)
            values (${chunk.id}, ${chunk.title}, ${chunk.text}, ${(chunk.keywords ?? []).join(" ")},
                    ${chunk.pillar}, ${chunk.mode}, ${chunk.category}, ${contentHash(chunk)})
            on conflict (id) do update set
              title = excluded.title, body = excluded.body, keywords = excluded.keywords,
              pillar = excluded.pillar, mode = excluded.mode, category = excluded.category,
              content_hash = excluded.content_hash, source = excluded.source`
        }
        const current = new Set(corpus.map((chunk) => chunk.id))
        const gone = stored.map((row) => row.id).filter((id) => !current.has(id as KnowledgeChunk["id"]))
        if (gone.length > 0) yield* sql`delete from app.knowledge_chunks where ${sql.in("id", gone)}`
        // Keyword search picks its candidates by how rare each word is: recount after a change.
        if (changed.length > 0 || gone.length > 0) yield* sql`select app.refresh_knowledge_terms()`
        return { written: changed.length, removed: gone.length }
      }))

    const embedStale = Effect.gen(function*() {
      const stale = yield* sql<
        { readonly id: string; readonly title: string; readonly body: string; readonly content_hash: string }
      >`
        select c.id, c.title, c.body, c.content_hash
        from app.knowledge_chunks c
        left join app.knowledge_embeddings e on e.chunk_id = c.id and e.model = ${embeddings.model}
        where c.source = 'corpus' and (e.chunk_id is null or e.content_hash <> c.content_hash)
        order by c.id`
      for (const batch of Arr.chunksOf(stale, EMBED_BATCH)) {
        const vectors = yield* embeddings.embed(batch.map((row) => `${row.title}\n${row.body}`))
        yield* sql.withTransaction(Effect.forEach(batch, (row, i) =>
          // The chunk's filter columns travel with its embedding (filtered vector search reads them there).
          sql`
            insert into app.knowledge_embeddings (chunk_id, model, content_hash, embedding, pillar, mode, category)
            select c.id, ${embeddings.model}, ${row.content_hash}, ${vectorLiteral(vectors[i]!)}::vector,
                   c.pillar, c.mode, c.category
            from app.knowledge_chunks c where c.id = ${row.id}
            on conflict (chunk_id, model) do update set
              content_hash = excluded.content_hash, embedding = excluded.embedding,
              pillar = excluded.pillar, mode = excluded.mode, category = excluded.category`, { discard: true }))
      }
      return stale.length
    })

    const seed = (
      corpus: ReadonlyArray<KnowledgeChunk>
    ): Effect.Effect<SeedReport, SqlError | EmbeddingDimensionMismatch | EmbeddingsUnavailable> =>
      Effect.gen(function*() {
        yield* registerModel
        const { removed, written } = yield* writeChunks(corpus)
        const embedded = yield* embedStale
        return { written, removed, embedded }
      }).pipe(Effect.withSpan("KnowledgeStore.seed", { attributes: { model: embeddings.model } }))

    return { seed, model: embeddings.model } as const
  })
}) {}
