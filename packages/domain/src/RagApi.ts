import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { RequestBody } from "./Errors.js"
import { ChunkId } from "./Ids.js"
import { KnowledgeCategory } from "./knowledge/Schema.js"
import { ModeId, PillarId } from "./pilar/Schema.js"

export const SearchQuery = RequestBody({
  query: Schema.Trim.pipe(
    Schema.nonEmptyString({ message: () => "Enter something to search for" }),
    Schema.maxLength(2000, { message: () => "At most 2,000 characters" })
  ),
  pillar: Schema.optional(PillarId),
  mode: Schema.optional(ModeId),
  category: Schema.optional(KnowledgeCategory),
  limit: Schema.optionalWith(
    Schema.Int.pipe(Schema.between(1, 50, { message: () => "A whole number from 1 to 50" })),
    { default: () => 10 }
  ),
  /** Minimum cosine similarity for a semantic match (0–1); keyword matches are kept regardless. */
  threshold: Schema.optional(Schema.Number.pipe(Schema.between(0, 1)))
}).annotations({ identifier: "SearchQuery" })

export class SearchHit extends Schema.Class<SearchHit>("SearchHit")({
  id: ChunkId,
  title: Schema.String,
  text: Schema.String,
  pillar: Schema.NullOr(PillarId),
  mode: Schema.NullOr(ModeId),
  category: KnowledgeCategory,
  scores: Schema.Struct({
    /** Cosine similarity of the semantic match, null when the passage was found by keywords only. */
    vector: Schema.NullOr(Schema.Number),
    /** Full-text rank, null when the passage was found semantically only. */
    keyword: Schema.NullOr(Schema.Number),
    /** Reciprocal-rank fusion of both rankings: what the results are ordered by. */
    fused: Schema.Number
  })
}) {}

export class SearchResults extends Schema.Class<SearchResults>("SearchResults")({
  results: Schema.Array(SearchHit),
  /** The embedding model the semantic half used. */
  model: Schema.String,
  /** True when the embeddings provider failed and only keyword search ran. */
  degraded: Schema.Boolean
}) {}

/** Where the group's routes live. */
export const ragPrefix = "/api/v1/rag"

/** Also served on the server's fast path (at `ragPrefix`). */
export const searchEndpoint = HttpApiEndpoint.post("query", "/query")
  .setPayload(SearchQuery)
  .addSuccess(SearchResults)
  .annotate(
    OpenApi.Description,
    "Hybrid search of the knowledge base: semantic (pgvector HNSW, cosine) and keyword (full text), fused by reciprocal rank."
  )

export class RagApi extends HttpApiGroup.make("rag")
  .add(searchEndpoint)
  .prefix(ragPrefix)
  .annotate(OpenApi.Title, "Knowledge search")
{}
