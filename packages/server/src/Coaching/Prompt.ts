import { forceById, type KnowledgeChunk, pillarById, type Results } from "@compilar/domain"
import { Option } from "effect"
import { coachingTask, resultsMarker } from "../Llm/OfflineCoaching.js"
import type { ChatRequest } from "../Llm/Provider.js"

/**
 * The coaching prompt. Every provider gets the same one, the offline provider included: the
 * results as JSON (exact, and machine-readable for the offline writer) and the retrieved
 * passages numbered `[n]`, after a `Context:` line, which the text must cite.
 */

const system = [
  "You are a coach for the PILAR framework of group dynamics.",
  "Write coaching for one learner from their assessment results, in plain prose of three to five short paragraphs: what the pillar score means, the strengths to keep, the growth areas with one concrete practice each, and how the pillar is likely to push on connected pillars.",
  "Ground every claim in the numbered passages after `Context:` and cite them inline as [n]. Cite only those numbers; never invent a source.",
  "Address the learner as you. No headings, no lists, no HTML; do not repeat the numbers of the scores more than once."
].join(" ")

/** A knowledge passage the coaching may cite (a search hit or a chunk picked by id). */
export type Passage = Pick<KnowledgeChunk, "id" | "title" | "text" | "pillar" | "mode" | "category">

/** A force's name, for prompts and queries. */
export const nameOf = (forceId: string) => Option.match(forceById(forceId), { onNone: () => forceId, onSome: (f) => f.name })

/** The results, as the model reads them: scores, and names beside the ids. */
export const resultsForPrompt = (results: Results) => ({
  pillar: results.pillar,
  pillarName: Option.match(pillarById(results.pillar), { onNone: () => results.pillar, onSome: (p) => p.title }),
  mode: results.mode,
  pillarScore: results.pillarScore,
  pillarBand: results.pillarBand,
  forces: Object.entries(results.forceScores).map(([force, score]) => ({ force, name: nameOf(force), score })),
  strengths: results.strengths.map((s) => ({ force: s.force, name: nameOf(s.force), score: s.score })),
  growthAreas: results.growthAreas.map((g) => ({ force: g.force, name: nameOf(g.force), score: g.score })),
  effects: results.effects.slice(0, 3).map((e) => ({
    connection: e.connection,
    target: e.target,
    targetName: Option.match(pillarById(e.target), { onNone: () => e.target, onSome: (p) => p.title }),
    type: e.type,
    direction: e.direction,
    push: Math.round(e.push * 100) / 100
  }))
})

export const coachingRequest = (results: Results, sources: ReadonlyArray<Passage>): ChatRequest => ({
  task: coachingTask,
  system,
  maxTokens: 900,
  temperature: 0.4,
  messages: [{
    role: "user",
    content: [
      "Write my coaching.",
      resultsMarker,
      JSON.stringify(resultsForPrompt(results)),
      "Context:",
      ...sources.map((source, i) => `[${i + 1}] ${source.title} (${source.id}): ${source.text}`)
    ].join("\n")
  }]
})

/** The passages cited as `[n]` in `text`, in order of first citation; unknown numbers are ignored. */
export const citedSources = <S>(text: string, sources: ReadonlyArray<S>): ReadonlyArray<S> => {
  const cited: Array<S> = []
  for (const match of text.matchAll(/\[(\d{1,2})(?:\s*,\s*(\d{1,2}))*\]/g)) {
    for (const n of match[0].slice(1, -1).split(",").map((part) => Number(part.trim()))) {
      const source = sources[n - 1]
      if (source !== undefined && !cited.includes(source)) cited.push(source)
    }
  }
  return cited
}
