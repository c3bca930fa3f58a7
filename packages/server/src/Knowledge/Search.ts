import { SearchHit, SearchResults, type SearchQuery } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { Embeddings, toVectorLiteral } from "./Embeddings.js"

type Query = typeof SearchQuery.Type

/** How many candidates each half contributes before fusion. */
const CANDIDATES = 50
/** The usual reciprocal-rank-fusion constant: damps the weight of the very top ranks. */
const RRF_K = 60

/** Words only, joined with OR: learners ask in sentences, and full-text AND would match nothing. */
export const keywordQuery = (text: string): string | undefined => {
  const words = text.toLowerCase().match(/[a-z]{2,}/g)
  return words === null ? undefined : [...new Set(words)].join(" | ")
}

/** A model name, as the literal the partial HNSW index predicate was written with. */
const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`

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

/**
 * Hybrid search: pgvector's HNSW index (cosine) and PostgreSQL full text, each ranking up to
 * 50 candidates under the same filters, fused by reciprocal rank. Filters keep recall through
 * pgvector's iterative index scans (`hnsw.iterative_scan = relaxed_order`, `ef_search = 200`,
 * set as database defaults by a migration). When the embeddings provider fails, the keyword half
 * answers alone and the result says `degraded`.
 */
export class KnowledgeSearch extends Effect.Service<KnowledgeSearch>()("Knowledge/Search", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const embeddings = yield* Embeddings
    // The model and its dimension are inlined so the planner can match the partial index.
    const model = sql.literal(quoted(embeddings.model))
    const dims = sql.literal(String(Math.trunc(embeddings.dimensions)))

    const search = Effect.fn("KnowledgeSearch.search")(function*(query: Query) {
      yield* Effect.annotateCurrentSpan({ model: embeddings.model, limit: query.limit })
      const vector = yield* embeddings.embed([query.query]).pipe(
        Effect.map((vectors) => Option.fromNullable(vectors[0])),
        Effect.tapError((error) => Effect.logWarning("Embeddings failed: keyword search only", error)),
        Effect.orElseSucceed(() => Option.none<Float32Array>())
      )
      const words = keywordQuery(query.query)
      const filter = sql.and([
        ...(query.pillar ? [sql`c.pillar = ${query.pillar}`] : []),
        ...(query.mode ? [sql`c.mode = ${query.mode}`] : []),
        ...(query.category ? [sql`c.category = ${query.category}`] : []),
        sql`true`
      ])
      const threshold = query.threshold ?? 0

      const filtered = query.pillar !== undefined || query.mode !== undefined || query.category !== undefined
      const vectorHits = Option.match(vector, {
        onNone: () => sql`select null::text as id, null::float8 as score, null::bigint as rank where false`,
        onSome: (v) =>
          // The vector is sent once; ordering by the selected distance lets the planner use the
          // model's partial HNSW index. Chunks are joined only when a filter needs them.
          sql`
            select id, 1 - distance as score, row_number() over (order by distance) as rank from (
              select e.chunk_id as id, e.embedding::vector(${dims}) <=> ${toVectorLiteral(v)}::vector(${dims}) as distance
              from app.knowledge_embeddings e
              ${filtered ? sql`join app.knowledge_chunks c on c.id = e.chunk_id` : sql``}
              where e.model = ${model} and ${filter}
              order by distance
              limit ${CANDIDATES}
            ) nearest where 1 - distance >= ${threshold}`
      })
      const keywordHits = words === undefined
        ? sql`select null::text as id, null::float8 as score, null::bigint as rank where false`
        : sql`
            select id, score, row_number() over (order by score desc, id) as rank from (
              select c.id, ts_rank_cd(c.search, q)::float8 as score
              from app.knowledge_chunks c, to_tsquery('english', ${words}) q
              where c.search @@ q and ${filter}
              order by score desc
              limit ${CANDIDATES}
            ) matched`

      // hnsw.iterative_scan and hnsw.ef_search are the database's defaults (migration
      // 20261127091500_search_settings.sql): one statement, no transaction.
      const rows = yield* sql<Row>`
        with v as (${vectorHits}), k as (${keywordHits})
        select c.id, c.title, c.body, c.pillar, c.mode, c.category,
               v.score as vector_score, k.score as keyword_score,
               coalesce(1.0 / (${RRF_K} + v.rank), 0) + coalesce(1.0 / (${RRF_K} + k.rank), 0) as fused
        from (select id from v union select id from k) ids
        join app.knowledge_chunks c on c.id = ids.id
        left join v on v.id = ids.id
        left join k on k.id = ids.id
        order by fused desc, c.id
        limit ${query.limit}`
      return new SearchResults({
        model: embeddings.model,
        degraded: Option.isNone(vector),
        results: rows.map((row) =>
          SearchHit.make({
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
          })
        )
      })
    })
    return { search } as const
  })
}) {}
