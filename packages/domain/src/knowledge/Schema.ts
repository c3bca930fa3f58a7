import { Schema } from "effect"
import { ChunkId } from "../Ids.js"
import { ModeId, PillarId } from "../pilar/Schema.js"

/**
 * The shapes of the knowledge corpus: passage-sized chunks (40–120 words, one idea each) that
 * the server seeds, embeds and searches. The chunks themselves are built in ./corpus.ts.
 */

/**
 * What a chunk is about. A closed set: search filters on it and rejects unknown values.
 *
 * - `mode`: a mode, its pillars, its connections at a glance
 * - `dimension`: one PILAR dimension and its two counterpart pillars
 * - `pillar`: a pillar's definition and its forces
 * - `pillar-high` / `pillar-low`: what a high / low pillar looks like in a group
 * - `reflection`: reflective questions for a pillar
 * - `force`: one force (a facet of a pillar)
 * - `connection`: how one pillar pushes on another
 * - `guidance`: practical advice for raising, keeping or watching a pillar, or working in a mode
 * - `scoring`: how to read scores, bands, reverse-keyed items and connection effects
 */
export const KnowledgeCategory = Schema.Literal(
  "mode",
  "dimension",
  "pillar",
  "pillar-high",
  "pillar-low",
  "reflection",
  "force",
  "connection",
  "guidance",
  "scoring"
).annotations({ identifier: "KnowledgeCategory" })
export type KnowledgeCategory = typeof KnowledgeCategory.Type

/** Every category, in the order above (for filters and validation messages). */
export const knowledgeCategories: ReadonlyArray<KnowledgeCategory> = KnowledgeCategory.literals

export class KnowledgeChunk extends Schema.Class<KnowledgeChunk>("KnowledgeChunk")({
  /** Stable, human-readable, lowercase: `pillar:divsexp:definition`, `force:divsexp.psychological-safety`, `connection:ecp-04`. */
  id: ChunkId,
  title: Schema.String,
  /** One passage, 40–120 words. */
  text: Schema.String,
  /** The pillar the chunk is about; null for mode-wide or cross-cutting chunks. */
  pillar: Schema.NullOr(PillarId),
  /** The mode the chunk belongs to; null for chunks that span both modes. */
  mode: Schema.NullOr(ModeId),
  category: KnowledgeCategory,
  /** Extra search terms (names, abbreviations) that may not appear in the text. */
  keywords: Schema.optional(Schema.Array(Schema.String))
}) {}
