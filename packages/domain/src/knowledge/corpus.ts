import { Option, Schema } from "effect"
import { ChunkId } from "../Ids.js"
import {
  connections,
  connectionsFrom,
  connectionsOf,
  connectionsTo,
  dimensions,
  fnv1a32,
  forces,
  forcesOf,
  modes,
  pillarById,
  pillars,
  pillarsOf
} from "../pilar/Pilar.js"
import type {
  Connection,
  ConnectionId,
  ConnectionType,
  Dimension,
  Force,
  ForceId,
  Mode,
  ModeId,
  Pillar,
  PillarId
} from "../pilar/Schema.js"
import { generalGuidance, modeGuidance, pillarGuidance, scoringPassages, searchTerms } from "./guidance.js"
import { KnowledgeChunk, type KnowledgeCategory } from "./Schema.js"

/**
 * The knowledge corpus: passage-sized chunks for search and coaching. Chunks about modes,
 * dimensions, pillars, forces and connections are generated from the PILAR dataset (one source
 * for each fact); practical guidance and scoring explanations come from ./guidance.ts. Pure data,
 * no Node imports (bundled for the browser too).
 *
 * Chunk ids are stable and lowercase (the `ChunkId` pattern):
 * - `mode:<mode>`, `mode:<mode>:pillars`, `mode:<mode>:connections`
 * - `dimension:<dimension>`
 * - `pillar:<pillar>:<facet>` with facet definition | high | low | reflection | forces | outgoing | incoming
 * - `force:<force id>`, e.g. `force:divsexp.psychological-safety`
 * - `connection:<connection id, lowercased>`, e.g. `connection:ecp-04`
 * - `guidance:<pillar>:raise|sustain|watch`, `guidance:<mode>:practice|pitfalls`, `guidance:<slug>`
 * - `scoring:<slug>`
 */

// ── Ids ──────────────────────────────────────────────────────────────────────

export type PillarFacet = "definition" | "high" | "low" | "reflection" | "forces" | "outgoing" | "incoming"
export type PillarGuidanceKind = "raise" | "sustain" | "watch"
export type ModeGuidanceKind = "practice" | "pitfalls"

export const modeChunkId = (mode: ModeId, facet?: "pillars" | "connections"): ChunkId =>
  ChunkId.make(facet === undefined ? `mode:${mode}` : `mode:${mode}:${facet}`)
export const pillarChunkId = (pillar: PillarId, facet: PillarFacet): ChunkId => ChunkId.make(`pillar:${pillar}:${facet}`)
export const forceChunkId = (force: ForceId): ChunkId => ChunkId.make(`force:${force}`)
export const connectionChunkId = (connection: ConnectionId): ChunkId =>
  ChunkId.make(`connection:${connection.toLowerCase()}`)
export const pillarGuidanceChunkId = (pillar: PillarId, kind: PillarGuidanceKind): ChunkId =>
  ChunkId.make(`guidance:${pillar}:${kind}`)
export const modeGuidanceChunkId = (mode: ModeId, kind: ModeGuidanceKind): ChunkId =>
  ChunkId.make(`guidance:${mode}:${kind}`)

// ── Text helpers ─────────────────────────────────────────────────────────────

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1)
const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
/** "a, b and c" */
const listing = (items: ReadonlyArray<string>): string =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`
const stripPeriod = (s: string): string => s.replace(/\.$/, "")

const pillarOf = (id: PillarId): Pillar => {
  const found = pillarById(id)
  if (Option.isNone(found)) throw new Error(`knowledge corpus: unknown pillar ${id}`)
  return found.value
}
const dimensionOf = (pillar: Pillar): Dimension => {
  const found = dimensions.find((d) => d.id === pillar.dimension)
  if (found === undefined) throw new Error(`knowledge corpus: unknown dimension ${pillar.dimension}`)
  return found
}
const modeName = (mode: ModeId): string => modes.find((m) => m.id === mode)?.name ?? mode

const typeLabel: { readonly [T in ConnectionType]: string } = {
  reinforce: "Reinforce",
  inverse: "Inverse",
  discretionary: "Discretionary"
}
const typeGloss: { readonly [T in ConnectionType]: string } = {
  reinforce: "the target tends to move in the same direction as the source",
  inverse: "the target tends to move in the opposite direction to the source",
  discretionary: "whether the target moves with or against the source depends on context"
}
const connectionLabel = (c: Connection): string => c.name ?? "Discretionary connection"
const strength = (c: Connection): string => c.strength.toFixed(2)

const chunk = (fields: {
  readonly id: ChunkId
  readonly title: string
  readonly text: string
  readonly pillar: PillarId | null
  readonly mode: ModeId | null
  readonly category: KnowledgeCategory
  readonly keywords?: ReadonlyArray<string> | undefined
}): KnowledgeChunk => {
  const keywords = [...new Set([...(fields.keywords ?? []), ...(searchTerms[fields.id] ?? [])])]
  return new KnowledgeChunk({
    id: fields.id,
    title: fields.title,
    text: fields.text,
    pillar: fields.pillar,
    mode: fields.mode,
    category: fields.category,
    ...(keywords.length > 0 ? { keywords } : {})
  })
}

// ── Derived from the dataset ─────────────────────────────────────────────────

const modeChunks = (m: Mode): ReadonlyArray<KnowledgeChunk> => {
  const own = pillarsOf(m.id)
  const links = connectionsOf(m.id)
  const count = (t: ConnectionType) => links.filter((c) => c.type === t).length
  const strongest = [...links].sort((a, b) => b.strength - a.strength).slice(0, 3)
  const inverse = links.filter((c) => c.type === "inverse")
  return [
    chunk({
      id: modeChunkId(m.id),
      title: `${m.name} mode`,
      text: `${m.name} mode. ${m.summary} ${m.description}`,
      pillar: null,
      mode: m.id,
      category: "mode",
      keywords: [m.name, "mode"]
    }),
    chunk({
      id: modeChunkId(m.id, "pillars"),
      title: `The five pillars of ${m.name.toLowerCase()} mode`,
      text: `${m.name} mode has ${own.length} pillars, one per dimension. ${own
        .map((p) => `${dimensionOf(p).name}: ${p.title} (${p.abbreviation}), ${lowerFirst(stripPeriod(p.measures))}.`)
        .join(" ")}`,
      pillar: null,
      mode: m.id,
      category: "mode",
      keywords: own.map((p) => p.abbreviation)
    }),
    chunk({
      id: modeChunkId(m.id, "connections"),
      title: `How the ${m.name.toLowerCase()} pillars push on each other`,
      text: `In ${m.name.toLowerCase()} mode every pillar acts on each of the other four, giving ${links.length} directed connections: ${count("reinforce")} Reinforce, where the target moves with the source; ${count("inverse")} Inverse, where it moves against it; and ${count("discretionary")} Discretionary, where the effect depends on context. The strongest are ${listing(
        strongest.map((c) => `${connectionLabel(c)} (${pillarOf(c.from).title} to ${pillarOf(c.to).title}, ${strength(c)})`)
      )}. The inverse links are ${listing(inverse.map((c) => `${connectionLabel(c)} (${c.id})`))}.`,
      pillar: null,
      mode: m.id,
      category: "mode",
      keywords: ["connections", "network", m.name]
    })
  ]
}

const dimensionChunk = (d: Dimension): KnowledgeChunk => {
  const pair = pillars.filter((p) => p.dimension === d.id)
  return chunk({
    id: ChunkId.make(`dimension:${d.id}`),
    title: `The ${d.name} dimension (${d.letter})`,
    text: `${d.name} is the ${d.letter} in PILAR. Like every dimension it has one pillar in each mode, and the two are counterparts: the same question about group life, answered once for peers and once for a ranked group. ${pair
      .map(
        (p) =>
          `In ${modeName(p.mode).toLowerCase()} mode it is ${p.title} (${p.abbreviation}), ${lowerFirst(stripPeriod(p.measures))}.`
      )
      .join(" ")}`,
    pillar: null,
    mode: null,
    category: "dimension",
    keywords: [d.name, ...pair.map((p) => p.title)]
  })
}

const pillarChunks = (p: Pillar): ReadonlyArray<KnowledgeChunk> => {
  const mode = modeName(p.mode).toLowerCase()
  const counterpart = pillarOf(p.counterpart)
  const keywords = [p.title, p.abbreviation]
  const outgoing = connectionsFrom(p.id)
  const incoming = connectionsTo(p.id)
  const pushOut = (c: Connection): string => {
    const to = pillarOf(c.to).title
    switch (c.type) {
      case "reinforce":
        return `${connectionLabel(c)} (${c.id}) reinforces ${to} at strength ${strength(c)}`
      case "inverse":
        return `${connectionLabel(c)} (${c.id}) works against ${to} at strength ${strength(c)}`
      case "discretionary":
        return `an unnamed discretionary link (${c.id}) moves ${to} one way or the other depending on context`
    }
  }
  const pushIn = (c: Connection): string => {
    const from = pillarOf(c.from).title
    switch (c.type) {
      case "reinforce":
        return `${from} reinforces it through ${connectionLabel(c)} (${c.id}, strength ${strength(c)})`
      case "inverse":
        return `${from} works against it through ${connectionLabel(c)} (${c.id}, strength ${strength(c)})`
      case "discretionary":
        return `${from} affects it through an unnamed discretionary link (${c.id}) whose direction depends on context`
    }
  }
  return [
    chunk({
      id: pillarChunkId(p.id, "definition"),
      title: `${p.title} (${p.abbreviation}): definition`,
      text: `${p.title} (${p.abbreviation}) is the ${mode} pillar of the ${dimensionOf(p).name} dimension; its ${modeName(counterpart.mode).toLowerCase()} counterpart is ${counterpart.title}. It measures ${lowerFirst(p.measures)} ${p.description}`,
      pillar: p.id,
      mode: p.mode,
      category: "pillar",
      keywords
    }),
    chunk({
      id: pillarChunkId(p.id, "high"),
      title: `What high ${p.title} looks like`,
      text: `Signs that ${p.title} (${p.abbreviation}) is high in a group, meaning a score above 70 on the 0–100 scale: ${p.highLooksLike.join(" ")}`,
      pillar: p.id,
      mode: p.mode,
      category: "pillar-high",
      keywords: [...keywords, "high score", "strong"]
    }),
    chunk({
      id: pillarChunkId(p.id, "low"),
      title: `What low ${p.title} looks like`,
      text: `Signs that ${p.title} (${p.abbreviation}) is low in a group, meaning a score below 40 on the 0–100 scale: ${p.lowLooksLike.join(" ")}`,
      pillar: p.id,
      mode: p.mode,
      category: "pillar-low",
      keywords: [...keywords, "low score", "weak", "problem"]
    }),
    chunk({
      id: pillarChunkId(p.id, "reflection"),
      title: `Reflective questions on ${p.title}`,
      text: `Questions to reflect on your own experience of ${p.title} (${p.abbreviation}) in your group, alone or before a team discussion: ${p.reflectiveQuestions.join(" ")}`,
      pillar: p.id,
      mode: p.mode,
      category: "reflection",
      keywords: [...keywords, "reflect", "self-reflection", "questions"]
    }),
    chunk({
      id: pillarChunkId(p.id, "forces"),
      title: `The four forces of ${p.title}`,
      text: `${p.title} (${p.abbreviation}) is rated through four forces. ${forcesOf(p.id)
        .map((f) => `${f.name}: ${lowerFirst(f.description)}`)
        .join(" ")}`,
      pillar: p.id,
      mode: p.mode,
      category: "pillar",
      keywords: [...keywords, "forces", "facets"]
    }),
    chunk({
      id: pillarChunkId(p.id, "outgoing"),
      title: `How ${p.title} affects the other ${mode} pillars`,
      text: `${p.title} (${p.abbreviation}) pushes on each of the other ${mode} pillars. ${outgoing
        .map((c) => upperFirst(pushOut(c)))
        .join(". ")}. Reinforced pillars move with ${p.abbreviation} and opposed ones against it, so a change here tends to ripple through the group.`,
      pillar: p.id,
      mode: p.mode,
      category: "connection",
      keywords: [...keywords, "effects", "impact", ...outgoing.flatMap((c) => (c.name === null ? [] : [c.name]))]
    }),
    chunk({
      id: pillarChunkId(p.id, "incoming"),
      title: `What influences ${p.title}`,
      text: `${p.title} (${p.abbreviation}) is shaped by the other ${mode} pillars. ${incoming
        .map(pushIn)
        .join("; ")}. To understand a change in ${p.abbreviation}, look first at movements in the strongest of these sources.`,
      pillar: p.id,
      mode: p.mode,
      category: "connection",
      keywords: [...keywords, "causes", "drivers", ...incoming.flatMap((c) => (c.name === null ? [] : [c.name]))]
    })
  ]
}

const forceChunk = (f: Force): KnowledgeChunk => {
  const p = pillarOf(f.pillar)
  return chunk({
    id: forceChunkId(f.id),
    title: `${f.name}: a force of ${p.title}`,
    text: `${f.name} is one of the four forces of ${p.title} (${p.abbreviation}), ${p.mode === "egalitarian" ? "an" : "a"} ${modeName(p.mode).toLowerCase()} pillar: ${lowerFirst(f.description)} When this force is strong: ${f.highSignal} When it is weak: ${f.lowSignal}`,
    pillar: f.pillar,
    mode: p.mode,
    category: "force",
    keywords: [f.name, p.title, p.abbreviation]
  })
}

const connectionChunk = (c: Connection): KnowledgeChunk => {
  const from = pillarOf(c.from)
  const to = pillarOf(c.to)
  const named = c.name === null ? `Connection ${c.id}, which has no name,` : `${c.name} (${c.id})`
  return chunk({
    id: connectionChunkId(c.id),
    title: `${c.id} ${connectionLabel(c)}: ${from.title} → ${to.title}`,
    text: `${named} runs from ${from.title} to ${to.title} in ${modeName(c.mode).toLowerCase()} mode. It is a ${typeLabel[c.type]} connection of strength ${strength(c)}: ${typeGloss[c.type]}. ${c.description} Example: ${c.example}`,
    pillar: c.from,
    mode: c.mode,
    category: "connection",
    keywords: [
      ...(c.name === null ? [] : [c.name]),
      c.id,
      typeLabel[c.type],
      from.abbreviation,
      to.abbreviation
    ]
  })
}

// ── Written guidance ─────────────────────────────────────────────────────────

const pillarGuidanceTitle: { readonly [K in PillarGuidanceKind]: (title: string) => string } = {
  raise: (t) => `How to raise low ${t}`,
  sustain: (t) => `Keeping high ${t} healthy`,
  watch: (t) => `${t}: what to watch for`
}

const pillarGuidanceChunks = (p: Pillar): ReadonlyArray<KnowledgeChunk> =>
  (["raise", "sustain", "watch"] as const).map((kind) =>
    chunk({
      id: pillarGuidanceChunkId(p.id, kind),
      title: pillarGuidanceTitle[kind](p.title),
      text: pillarGuidance[p.id][kind],
      pillar: p.id,
      mode: p.mode,
      category: "guidance",
      keywords: [p.title, p.abbreviation, kind === "raise" ? "improve" : kind === "sustain" ? "maintain" : "risks"]
    })
  )

const modeGuidanceChunks = (m: Mode): ReadonlyArray<KnowledgeChunk> => [
  chunk({
    id: modeGuidanceChunkId(m.id, "practice"),
    title: `Working well in ${m.name.toLowerCase()} mode`,
    text: modeGuidance[m.id].practice,
    pillar: null,
    mode: m.id,
    category: "guidance",
    keywords: [m.name, "tips", "how to"]
  }),
  chunk({
    id: modeGuidanceChunkId(m.id, "pitfalls"),
    title: `Pitfalls of ${m.name.toLowerCase()} mode`,
    text: modeGuidance[m.id].pitfalls,
    pillar: null,
    mode: m.id,
    category: "guidance",
    keywords: [m.name, "risks", "failure modes"]
  })
]

const writtenChunks = (): ReadonlyArray<KnowledgeChunk> =>
  [...scoringPassages, ...generalGuidance].map((w) =>
    chunk({
      id: ChunkId.make(`${w.category}:${w.slug}`),
      title: w.title,
      text: w.text,
      pillar: null,
      mode: null,
      category: w.category,
      keywords: w.keywords
    })
  )

// ── The corpus ───────────────────────────────────────────────────────────────

/** Build the corpus from the dataset and the written guidance (deterministic order). */
const buildCorpus = (): ReadonlyArray<KnowledgeChunk> => [
  ...modes.flatMap(modeChunks),
  ...dimensions.map(dimensionChunk),
  ...pillars.flatMap(pillarChunks),
  ...forces.map(forceChunk),
  ...connections.map(connectionChunk),
  ...modes.flatMap(modeGuidanceChunks),
  ...pillars.flatMap(pillarGuidanceChunks),
  ...writtenChunks()
]

/** Every chunk, in a stable order: modes, dimensions, pillars, forces, connections, guidance, scoring. */
export const knowledgeCorpus: ReadonlyArray<KnowledgeChunk> = buildCorpus()

/** `corpus-<fnv1a32 of the JSON-encoded chunks>`: changes whenever any chunk's id, text or metadata changes. */
export const computeCorpusVersion = (chunks: ReadonlyArray<KnowledgeChunk>): string =>
  `corpus-${fnv1a32(JSON.stringify(Schema.encodeSync(Schema.Array(KnowledgeChunk))(chunks)))}`

/** The version of the corpus this build carries (the server re-seeds when it changes). */
export const corpusVersion: string = computeCorpusVersion(knowledgeCorpus)

/** The content hash of one chunk (everything stored of it): the server re-writes and re-embeds only chunks whose hash changed. */
export const chunkContentHash = (c: KnowledgeChunk): string =>
  fnv1a32(JSON.stringify([c.title, c.text, c.keywords ?? [], c.pillar, c.mode, c.category]))

// ── Lookups ──────────────────────────────────────────────────────────────────

const chunkIndex: ReadonlyMap<string, KnowledgeChunk> = new Map(knowledgeCorpus.map((c) => [c.id, c]))

/** The chunk with this id; `None` for an unknown id (accepts raw strings from outside). */
export const chunkById = (id: ChunkId | string): Option.Option<KnowledgeChunk> => Option.fromNullable(chunkIndex.get(id))

export interface ChunkFilter {
  readonly pillar?: PillarId | undefined
  readonly mode?: ModeId | undefined
  readonly category?: KnowledgeCategory | undefined
}

/** The chunks matching every given field, in corpus order; an empty filter returns the whole corpus. */
export const chunksFor = (filter: ChunkFilter): ReadonlyArray<KnowledgeChunk> =>
  knowledgeCorpus.filter(
    (c) =>
      (filter.pillar === undefined || c.pillar === filter.pillar) &&
      (filter.mode === undefined || c.mode === filter.mode) &&
      (filter.category === undefined || c.category === filter.category)
  )
