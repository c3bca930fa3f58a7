import type { DateTime } from "effect"
import { AssessmentId } from "../Ids.js"
import type { ModeId, PillarId } from "../pilar/Schema.js"
import { ForceHighlight, PredictedEffect, Results } from "./Schema.js"
import type { Scored } from "./Scoring.js"

/** A scored quiz as the results the API answers (and the server stores and coaches from). */
export const resultsOf = (
  scored: Scored,
  of: { readonly assessmentId: string; readonly pillar: PillarId; readonly mode: ModeId; readonly completedAt: DateTime.Utc }
): Results =>
  new Results({
    assessmentId: AssessmentId.make(of.assessmentId),
    pillar: of.pillar,
    mode: of.mode,
    pillarScore: scored.pillarScore,
    pillarBand: scored.pillarBand,
    forceScores: Object.fromEntries(scored.forceScores.map((f) => [f.force, f.score])),
    effects: scored.effects.map((e) =>
      new PredictedEffect({
        connection: e.connection.id,
        name: e.connection.name,
        target: e.connection.to,
        type: e.connection.type,
        strength: e.connection.strength,
        direction: e.direction,
        push: e.push
      })
    ),
    strengths: scored.strengths.map((h) => new ForceHighlight(h)),
    growthAreas: scored.growthAreas.map((h) => new ForceHighlight(h)),
    completedAt: of.completedAt
  })
