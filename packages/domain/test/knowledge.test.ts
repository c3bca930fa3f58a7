import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import {
  ChunkId,
  chunkById,
  chunkContentHash,
  chunksFor,
  computeCorpusVersion,
  connectionById,
  connectionChunkId,
  connections,
  corpusVersion,
  dimensions,
  forceById,
  forceChunkId,
  forces,
  KnowledgeCategory,
  knowledgeCategories,
  KnowledgeChunk,
  knowledgeCorpus,
  modes,
  pillarById,
  pillarChunkId,
  pillars,
  relevanceCases,
  searchTerms,
  type ModeId
} from "../src/index.js"

const words = (text: string): number => text.split(/\s+/).filter((w) => w.length > 0).length
const idsWithPrefix = (prefix: string) => knowledgeCorpus.filter((c) => c.id.startsWith(prefix))
const byId = (id: string): KnowledgeChunk => Option.getOrThrow(chunkById(id))

describe("knowledge corpus", () => {
  describe("shape", () => {
    it("has at least 200 chunks", () => {
      expect(knowledgeCorpus.length).toBeGreaterThanOrEqual(200)
    })

    it("ids are unique and match the ChunkId pattern", () => {
      const ids = knowledgeCorpus.map((c) => c.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of ids) expect(Schema.is(ChunkId)(id), id).toBe(true)
    })

    it("every chunk round-trips through its Schema from its encoded form", () => {
      const encoded = Schema.encodeSync(Schema.Array(KnowledgeChunk))(knowledgeCorpus)
      const decoded = Schema.decodeUnknownSync(Schema.Array(KnowledgeChunk))(JSON.parse(JSON.stringify(encoded)))
      expect(decoded).toEqual(knowledgeCorpus)
    })

    it("the schema rejects an unknown category, a bad id and an unknown pillar", () => {
      const good = Schema.encodeSync(KnowledgeChunk)(knowledgeCorpus[0]!)
      const decode = Schema.decodeUnknownEither(KnowledgeChunk)
      expect(decode(good)._tag).toBe("Right")
      expect(decode({ ...good, category: "gossip" })._tag).toBe("Left")
      expect(decode({ ...good, id: "Pillar:DivsExp" })._tag).toBe("Left")
      expect(decode({ ...good, pillar: "charisma" })._tag).toBe("Left")
    })

    it("every chunk is passage-sized: 40 to 120 words, with a non-empty title", () => {
      for (const c of knowledgeCorpus) {
        const n = words(c.text)
        expect(n, `${c.id} has ${n} words`).toBeGreaterThanOrEqual(40)
        expect(n, `${c.id} has ${n} words`).toBeLessThanOrEqual(120)
        expect(c.title.trim().length, c.id).toBeGreaterThan(0)
      }
    })

    it("no two chunks share the same text or the same title", () => {
      expect(new Set(knowledgeCorpus.map((c) => c.text)).size).toBe(knowledgeCorpus.length)
      expect(new Set(knowledgeCorpus.map((c) => c.title)).size).toBe(knowledgeCorpus.length)
    })

    it("every category is used", () => {
      for (const category of knowledgeCategories) expect(chunksFor({ category }).length, category).toBeGreaterThan(0)
      expect(knowledgeCategories).toEqual(KnowledgeCategory.literals)
    })
  })

  describe("counts derived from the dataset", () => {
    it("one overview, one pillar list and one connection summary per mode", () => {
      expect(chunksFor({ category: "mode" }).length).toBe(3 * modes.length)
      for (const m of modes) {
        expect(byId(`mode:${m.id}`).mode).toBe(m.id)
        expect(byId(`mode:${m.id}:pillars`).mode).toBe(m.id)
        expect(byId(`mode:${m.id}:connections`).mode).toBe(m.id)
      }
    })

    it("one chunk per dimension", () => {
      expect(chunksFor({ category: "dimension" }).length).toBe(dimensions.length)
      expect(dimensions.length).toBe(5)
    })

    it("per pillar: definition, high, low, reflection, forces, outgoing, incoming", () => {
      expect(pillars.length).toBe(10)
      for (const facet of ["definition", "high", "low", "reflection", "forces", "outgoing", "incoming"] as const) {
        const matching = knowledgeCorpus.filter((c) => c.id.endsWith(`:${facet}`) && c.id.startsWith("pillar:"))
        expect(matching.length, facet).toBe(pillars.length)
      }
      expect(chunksFor({ category: "pillar-high" }).length).toBe(10)
      expect(chunksFor({ category: "pillar-low" }).length).toBe(10)
      expect(chunksFor({ category: "reflection" }).length).toBe(10)
      expect(chunksFor({ category: "pillar" }).length).toBe(20)
    })

    it("exactly one chunk per force (40) and per connection (40)", () => {
      expect(forces.length).toBe(40)
      expect(connections.length).toBe(40)
      expect(idsWithPrefix("force:").length).toBe(forces.length)
      expect(idsWithPrefix("connection:").length).toBe(connections.length)
      expect(chunksFor({ category: "force" }).length).toBe(forces.length)
      // connection chunks: one per connection plus each pillar's outgoing and incoming summaries
      expect(chunksFor({ category: "connection" }).length).toBe(connections.length + 2 * pillars.length)
    })

    it("three guidance chunks per pillar and two per mode", () => {
      for (const p of pillars) {
        const g = chunksFor({ pillar: p.id, category: "guidance" }).map((c) => c.id)
        expect(g).toEqual([`guidance:${p.id}:raise`, `guidance:${p.id}:sustain`, `guidance:${p.id}:watch`])
      }
      for (const m of modes) {
        expect(Option.isSome(chunkById(`guidance:${m.id}:practice`))).toBe(true)
        expect(Option.isSome(chunkById(`guidance:${m.id}:pitfalls`))).toBe(true)
      }
    })

    it("every pillar has 18 chunks about it: 7 facets, 4 forces, 4 outgoing connections, 3 guidance", () => {
      for (const p of pillars) {
        const about = chunksFor({ pillar: p.id })
        // 7 facets + 4 forces + 4 outgoing connections (source pillar) + 3 guidance
        expect(about.length, p.id).toBe(7 + 4 + 4 + 3)
      }
    })
  })

  describe("metadata matches the dataset", () => {
    it("force chunks carry the force's pillar and that pillar's mode, and its text", () => {
      for (const f of forces) {
        const c = byId(forceChunkId(f.id))
        const p = Option.getOrThrow(pillarById(f.pillar))
        expect(c.pillar).toBe(f.pillar)
        expect(c.mode).toBe(p.mode)
        expect(c.category).toBe("force")
        expect(c.text).toContain(f.name)
        expect(c.text).toContain(f.highSignal)
        expect(c.text).toContain(f.lowSignal)
      }
    })

    it("connection chunks carry the source pillar and the mode, the name, description and example", () => {
      for (const conn of connections) {
        const c = byId(connectionChunkId(conn.id))
        expect(c.pillar).toBe(conn.from)
        expect(c.mode).toBe(conn.mode)
        expect(c.category).toBe("connection")
        expect(c.text).toContain(conn.description)
        expect(c.text).toContain(conn.example)
        expect(c.text).toContain(conn.strength.toFixed(2))
        if (conn.name !== null) expect(c.text).toContain(conn.name)
      }
    })

    it("pillar chunks carry the pillar's mode and the dataset's text", () => {
      for (const p of pillars) {
        const all = chunksFor({ pillar: p.id })
        for (const c of all) expect(c.mode, c.id).toBe(p.mode)
        expect(byId(pillarChunkId(p.id, "definition")).text).toContain(p.description)
        for (const line of p.highLooksLike) expect(byId(pillarChunkId(p.id, "high")).text).toContain(line)
        for (const line of p.lowLooksLike) expect(byId(pillarChunkId(p.id, "low")).text).toContain(line)
        for (const q of p.reflectiveQuestions) expect(byId(pillarChunkId(p.id, "reflection")).text).toContain(q)
      }
    })

    it("mode chunks carry the mode's text and no pillar; cross-cutting chunks have neither", () => {
      for (const m of modes) {
        const c = byId(`mode:${m.id}`)
        expect(c.pillar).toBeNull()
        expect(c.text).toContain(m.description)
      }
      for (const c of [...chunksFor({ category: "scoring" }), ...chunksFor({ category: "dimension" })]) {
        expect(c.pillar, c.id).toBeNull()
        expect(c.mode, c.id).toBeNull()
      }
    })

    it("the mode connection summary states the dataset's counts per type", () => {
      for (const m of modes) {
        const text = byId(`mode:${m.id}:connections`).text
        const of = connections.filter((c) => c.mode === m.id)
        for (const [type, label] of [
          ["reinforce", "Reinforce"],
          ["inverse", "Inverse"],
          ["discretionary", "Discretionary"]
        ] as const) {
          expect(text).toContain(`${of.filter((c) => c.type === type).length} ${label}`)
        }
      }
    })

    it("every search-term entry names a real chunk and lands in its keywords", () => {
      for (const [id, terms] of Object.entries(searchTerms)) {
        const c = byId(id)
        for (const t of terms) expect(c.keywords ?? [], id).toContain(t)
      }
    })

    it("ids point at real dataset records", () => {
      for (const c of idsWithPrefix("force:")) expect(Option.isSome(forceById(c.id.slice("force:".length)))).toBe(true)
      for (const c of idsWithPrefix("connection:")) {
        expect(Option.isSome(connectionById(c.id.slice("connection:".length).toUpperCase()))).toBe(true)
      }
    })
  })

  describe("stable ids and version", () => {
    it("a handful of ids are exactly as published", () => {
      for (const id of [
        "mode:egalitarian",
        "mode:hierarchical:connections",
        "dimension:agency",
        "pillar:divsexp:definition",
        "pillar:ownprosp:low",
        "pillar:popularity:reflection",
        "pillar:outresp:outgoing",
        "force:divsexp.psychological-safety",
        "force:ownprosp.credit-attribution",
        "connection:ecp-04",
        "connection:hcp-20",
        "guidance:divsexp:raise",
        "guidance:hierarchical:practice",
        "scoring:bands",
        "scoring:reverse-keyed",
        "guidance:remote-teams"
      ]) {
        expect(Option.isSome(chunkById(id)), id).toBe(true)
      }
      expect(connectionChunkId(connections[3]!.id)).toBe("connection:ecp-04")
      expect(byId("connection:ecp-04").title).toContain("Scapegoating")
    })

    it("corpusVersion is deterministic and has the documented shape", () => {
      expect(corpusVersion).toMatch(/^corpus-[0-9a-f]{8}$/)
      expect(computeCorpusVersion(knowledgeCorpus)).toBe(corpusVersion)
      expect(computeCorpusVersion([...knowledgeCorpus])).toBe(corpusVersion)
    })

    it("corpusVersion and the chunk hash change when one chunk's text changes", () => {
      const [first, ...rest] = knowledgeCorpus
      const edited = new KnowledgeChunk({ ...first!, text: `${first!.text} Edited.` })
      expect(computeCorpusVersion([edited, ...rest])).not.toBe(corpusVersion)
      expect(chunkContentHash(edited)).not.toBe(chunkContentHash(first!))
      expect(chunkContentHash(first!)).toMatch(/^[0-9a-f]{8}$/)
    })
  })

  describe("lookups", () => {
    it("chunkById finds every chunk and rejects unknown ids", () => {
      for (const c of knowledgeCorpus) expect(Option.getOrThrow(chunkById(c.id))).toBe(c)
      expect(Option.isNone(chunkById("pillar:charisma:definition"))).toBe(true)
    })

    it("chunksFor combines filters, and an empty filter returns everything", () => {
      expect(chunksFor({})).toEqual(knowledgeCorpus)
      const mode: ModeId = "hierarchical"
      const forcesOfStatus = chunksFor({ pillar: "status", mode, category: "force" })
      expect(forcesOfStatus.map((c) => c.id)).toEqual(
        forces.filter((f) => f.pillar === "status").map((f) => `force:${f.id}`)
      )
      expect(chunksFor({ pillar: "status", mode: "egalitarian" })).toEqual([])
      for (const m of modes) {
        for (const c of chunksFor({ mode: m.id })) expect(c.mode).toBe(m.id)
      }
    })
  })

  describe("relevance cases", () => {
    it("there are at least 25, with unique queries and at least one expected id each", () => {
      expect(relevanceCases.length).toBeGreaterThanOrEqual(25)
      expect(new Set(relevanceCases.map((r) => r.query.toLowerCase())).size).toBe(relevanceCases.length)
      for (const r of relevanceCases) {
        expect(r.expected.length, r.query).toBeGreaterThan(0)
        expect(r.expected.length, r.query).toBeLessThanOrEqual(3)
      }
    })

    it("every expected id exists in the corpus", () => {
      for (const r of relevanceCases) {
        for (const id of r.expected) expect(Option.isSome(chunkById(id)), `${r.query} → ${id}`).toBe(true)
      }
    })

    it("the cases cover every pillar, both modes and most categories", () => {
      const hit = relevanceCases.flatMap((r) => r.expected.map(byId))
      for (const p of pillars) expect(hit.some((c) => c.pillar === p.id), p.id).toBe(true)
      for (const m of modes) expect(hit.some((c) => c.mode === m.id), m.id).toBe(true)
      const categories = new Set(hit.map((c) => c.category))
      expect(categories.size).toBeGreaterThanOrEqual(knowledgeCategories.length - 1)
    })
  })
})
