import {
  chunkById,
  connectionChunkId,
  forceChunkId,
  pillarChunkId,
  pillarGuidanceChunkId,
  type PillarId,
  quizPlan,
  Results,
  resultsOf,
  scoreQuiz,
  SearchHit,
  type ModeId
} from "@compilar/domain"
import { DateTime, Either, Option } from "effect"

/** Results of a real scoring: the first force answered high, the last low, the rest neutral. */
export const sampleResults = (pillar: PillarId, mode: ModeId, id = "00000000-0000-4000-8000-000000000001"): Results => {
  const plan = quizPlan(pillar)
  const forces = [...new Set(plan.map((slot) => slot.force))]
  const answers = Object.fromEntries(plan.map((slot) => {
    const wanted = slot.force === forces[0] ? 5 : slot.force === forces[forces.length - 1] ? 1 : 3
    return [slot.id, slot.reverse ? 6 - wanted : wanted]
  }))
  const scored = Either.getOrThrow(scoreQuiz(pillar, plan, answers))
  return resultsOf(scored, { assessmentId: id, pillar, mode, completedAt: DateTime.unsafeMake(0) })
}

/** The passages a search would plausibly return for these results, straight from the corpus. */
export const sampleSources = (results: Results): ReadonlyArray<SearchHit> =>
  [
    pillarChunkId(results.pillar, "definition"),
    forceChunkId(results.growthAreas[0]!.force),
    pillarGuidanceChunkId(results.pillar, "raise"),
    forceChunkId(results.strengths[0]!.force),
    pillarGuidanceChunkId(results.pillar, "sustain"),
    connectionChunkId(results.effects[0]!.connection)
  ].map((id) => {
    const chunk = Option.getOrThrow(chunkById(id))
    return new SearchHit({ ...chunk, scores: { vector: 0.5, keyword: null, fused: 0.01 } })
  })
