/**
 * A generated knowledge corpus for the search benchmark: `count` passages made deterministically
 * from the real corpus's sentences (same vocabulary, same length range), embedded with the
 * offline model, bulk-loaded with multi-row inserts, the model's HNSW index rebuilt after loading.
 *
 * Metadata is drawn independently of the text so that filters have known selectivity: mode is a
 * fair coin and category uniform over the ten categories, so `mode = hierarchical and category =
 * force` matches 5% of the generated rows (the recall measurement's filter).
 */
import { knowledgeCategories, knowledgeCorpus, type KnowledgeCategory } from "@compilar/domain"
import { OFFLINE_MODEL, offlineEmbedding } from "../src/Knowledge/OfflineEmbedding.js"
import { vectorLiteral } from "../src/Knowledge/QueryVectors.js"

export interface GeneratedChunk {
  readonly id: string
  readonly title: string
  readonly body: string
  readonly pillar: string | null
  readonly mode: "egalitarian" | "hierarchical"
  readonly category: KnowledgeCategory
}

/** The filter the recall measurement uses: 1/2 × 1/10 of the generated rows. */
export const fivePercentFilter = { mode: "hierarchical", category: "force" } as const

/** mulberry32: a small, fast, seedable generator (the same sequence on every machine). */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+/).filter((s) => s.length > 0)

export const generateChunks = (count: number, seed = 20261127): ReadonlyArray<GeneratedChunk> => {
  const next = random(seed)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(next() * xs.length)]!
  const allSentences = knowledgeCorpus.flatMap((chunk) => sentencesOf(chunk.text))
  const byCategory = new Map(knowledgeCategories.map((category) => [
    category,
    knowledgeCorpus.filter((chunk) => chunk.category === category)
  ]))
  return Array.from({ length: count }, (_, i): GeneratedChunk => {
    const mode = next() < 0.5 ? "egalitarian" : "hierarchical"
    const category = pick(knowledgeCategories)
    const template = pick(byCategory.get(category)!)
    // Part of the template's passage, then sentences from anywhere: 40–120 words, rarely twice the same.
    const own = sentencesOf(template.text)
    const start = Math.floor(next() * own.length)
    const sentences = own.slice(start, start + 1 + Math.floor(next() * 3))
    while (sentences.join(" ").split(" ").length < 40 + next() * 50) sentences.push(pick(allSentences))
    return {
      id: `generated:${String(i).padStart(6, "0")}`,
      title: template.title,
      body: sentences.join(" ").split(" ").slice(0, 120).join(" "),
      pillar: template.mode === mode ? template.pillar : null,
      mode,
      category
    }
  })
}

/** What the loader needs of a database connection: `pg`'s Client and PGlite both fit. */
export interface Queryable {
  readonly query: (text: string, params?: Array<unknown>) => Promise<{ readonly rows: Array<Record<string, unknown>> }>
}

export interface LoadReport {
  /** Making, embedding and inserting the chunks (embedding overlaps the previous batch's insert). */
  readonly loadMs: number
  readonly indexMs: number
  readonly statisticsMs: number
}

const BATCH = 1000

const insertBatch = async (db: Queryable, batch: ReadonlyArray<GeneratedChunk>, vectors: ReadonlyArray<string>) => {
  await db.query(
    `insert into app.knowledge_chunks (id, title, body, pillar, mode, category, content_hash, source)
     select id, title, body, pillar, mode, category, 'generated', 'generated'
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       as t (id, title, body, pillar, mode, category)`,
    [
      batch.map((c) => c.id),
      batch.map((c) => c.title),
      batch.map((c) => c.body),
      batch.map((c) => c.pillar),
      batch.map((c) => c.mode),
      batch.map((c) => c.category)
    ]
  )
  await db.query(
    `insert into app.knowledge_embeddings (chunk_id, model, content_hash, embedding, pillar, mode, category)
     select id, $6, 'generated', embedding::vector, pillar, mode, category
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as t (id, embedding, pillar, mode, category)`,
    [
      batch.map((c) => c.id),
      vectors,
      batch.map((c) => c.pillar),
      batch.map((c) => c.mode),
      batch.map((c) => c.category),
      OFFLINE_MODEL
    ]
  )
}

/**
 * Inserts the chunks (as `source = 'generated'`, which the start-up seed leaves alone) and their
 * offline embeddings in batches of 1,000 rows per statement, without the model's HNSW index,
 * then rebuilds that index with the definition the migration gave it and refreshes the word
 * counts and vacuums (as a database that has lived a while). Run against a migrated, seeded database.
 */
export const loadGenerated = async (db: Queryable, count: number): Promise<LoadReport> => {
  let started = performance.now()
  const [index] = (await db.query(
    `select indexname, indexdef from pg_indexes where schemaname = 'app' and tablename = 'knowledge_embeddings'
       and indexdef like '%' || $1 || '%'`,
    [`'${OFFLINE_MODEL}'`]
  )).rows
  if (index === undefined) throw new Error(`no HNSW index for ${OFFLINE_MODEL}`)
  await db.query(`drop index app.${String(index["indexname"])}`)
  const chunks = generateChunks(count)
  // PostgreSQL inserts one batch while this process embeds the next (PGlite, in process, cannot).
  let inserting: Promise<void> = Promise.resolve()
  for (let from = 0; from < chunks.length; from += BATCH) {
    const batch = chunks.slice(from, from + BATCH)
    const vectors = batch.map((chunk) => vectorLiteral(offlineEmbedding(`${chunk.title}\n${chunk.body}`)))
    await inserting
    inserting = insertBatch(db, batch, vectors)
  }
  await inserting
  const loadMs = performance.now() - started

  started = performance.now()
  // The graph is built in memory when it fits (otherwise far slower); PostgreSQL builds it in parallel.
  await db.query("set maintenance_work_mem = '1GB'")
  await db.query(String(index["indexdef"]))
  const indexMs = performance.now() - started

  started = performance.now()
  await db.query("select app.refresh_knowledge_terms()")
  // As a database that has lived a while: hint bits set, pages all-visible, planner statistics.
  await db.query("vacuum analyze app.knowledge_chunks")
  await db.query("vacuum analyze app.knowledge_embeddings")
  return { loadMs, indexMs, statisticsMs: performance.now() - started }
}
