import type { AssessmentPage } from "@compilar/domain"
import { query } from "@solidjs/router"
import { callApi } from "../../lib/runtime.js"
import { type Outcome, toOutcome } from "../assess/outcome.js"

/** How many assessments one page of the history shows. */
export const historyPageSize = 10

/**
 * GET /assessments: one page of the learner's history, newest first; `cursor` is the previous
 * page's `nextCursor`. Keyed by the learner, so nobody else's history is served from the cache.
 */
export const listAssessments = query(
  async (_userId: string, cursor: string | undefined, limit: number = historyPageSize): Promise<Outcome<AssessmentPage>> =>
    toOutcome(
      await callApi((api) =>
        api.assessments.list({ urlParams: cursor === undefined ? { limit } : { limit, cursor } })
      ),
      "history-load"
    ),
  "assessmentHistory"
)
