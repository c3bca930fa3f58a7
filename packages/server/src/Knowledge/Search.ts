import { SearchHit, SearchResults, type SearchQuery } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { Embeddings } from "./Embeddings.js"
import { QueryVectors } from "./QueryVectors.js"

type Query = typeof SearchQuery.Type

interface Row {
  readonly id: string
  readonly title: string
  readonly body: string
  readonly pillar: string | null
  readonly mode: string | null
  readonly category: string
  readonly vector_score: number | null
  readonly keyword_score: number | null
  readonly fused: number
}

/** The rows come from our own tables, and the response is encoded (and so checked) by the API. */
const trusted = { disableValidation: true } as const

/**
 * Hybrid search: pgvector's HNSW index (cosine) and PostgreSQL full text, each ranking up to
 * 40 candidates under the same filters, fused by reciprocal rank. All of it is one call of
 * `app.search_knowledge` (as last defined in migration 20261128010000_keyword_rank.sql; on
 * embedded PGlite its offline-model index holds full-precision vectors,
 * 20261127143000_embedded_search_precision.sql):
 * one round trip, plans prepared once per connection, iterative index scans so that filters keep
 * recall. The query's vector comes from a small cache of recent queries. When the embeddings
 * provider fails, the keyword half answers alone and the result says `degraded`.
 */
export class KnowledgeSearch extends Effect.Service<KnowledgeSearch>()("Knowledge/Search", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const embeddings = yield* Embeddings
    const vectors = QueryVectors.make(embeddings)

    // `withSpan` rather than `Effect.fn`: the span is the same, without a stack trace captured
    // per call, which showed in the search's server-thread profile.
    const search = (query: Query) => Effect.gen(function*() {
      const vector = yield* vectors.literal(query.query).pipe(
        Effect.map(Option.some),
        Effect.tapError((error) => Effect.logWarning("Embeddings failed: keyword search only", error)),
        Effect.orElseSucceed(() => Option.none<string>())
      )
      const rows = yield* sql<Row>`
        select * from app.search_knowledge(
          ${embeddings.model}::text, ${Option.getOrNull(vector)}::vector, ${query.query}::text,
          ${query.pillar ?? null}::text, ${query.mode ?? null}::text, ${query.category ?? null}::text,
          ${query.limit}::integer, ${query.threshold ?? 0}::float8)`
      return new SearchResults({
        model: embeddings.model,
        degraded: Option.isNone(vector),
        results: rows.map((row) =>
          new SearchHit({
            id: row.id as SearchHit["id"],
            title: row.title,
            text: row.body,
            pillar: row.pillar as SearchHit["pillar"],
            mode: row.mode as SearchHit["mode"],
            category: row.category as SearchHit["category"],
            scores: {
              vector: row.vector_score === null ? null : Number(row.vector_score),
              keyword: row.keyword_score === null ? null : Number(row.keyword_score),
              fused: Number(row.fused)
            }
          }, trusted)
        )
      }, trusted)
    }).pipe(Effect.withSpan("KnowledgeSearch.search", { attributes: { model: embeddings.model, limit: query.limit } }))
    return { search } as const
  })
}) {}
