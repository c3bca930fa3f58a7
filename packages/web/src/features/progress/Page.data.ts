import type { Progress } from "@compilar/domain"
import { query } from "@solidjs/router"
import { callApi } from "../../lib/runtime.js"
import { type Outcome, toOutcome } from "../assess/outcome.js"

/** GET /me/progress, keyed by the learner. */
export const getProgress = query(
  async (_userId: string): Promise<Outcome<Progress>> =>
    toOutcome(await callApi((api) => api.assessments.progress()), "progress-load"),
  "progress"
)
