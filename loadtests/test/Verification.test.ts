import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runScript } from "../runner/Script.js"
import { type FakeApiOptions, startFakeApi } from "./support/FakeApi.js"

/**
 * answers.js's teardown against servers with known write bugs: it must find every lost or stale
 * answer, and find none on a correct server (so a green live run means something).
 */

const answersScript = fileURLToPath(new URL("../answers.js", import.meta.url))

// 2 assessments (20 answers), 5 writes/s for 8 s: every answer written twice, 4 s apart. The
// script gives a write up when the next pass's write to its answer is due (slot period), so a
// short period turns a slow moment of a busy machine into an unacknowledged write.
const sizes = {
  ANSWERS_RATE: "5",
  ANSWERS_DURATION_S: "8",
  ANSWERS_LEARNERS: "1",
  ANSWERS_ASSESSMENTS_PER_LEARNER: "2",
  ANSWERS_PREALLOCATED_VUS: "10",
  ANSWERS_MAX_VUS: "20",
  ANSWERS_REPLAY_EVERY: "0"
}

const verify = async (bugs: FakeApiOptions) => {
  const api = await startFakeApi(bugs)
  try {
    const { summary } = await runScript({ scriptPath: answersScript, env: { ...sizes, BASE_URL: api.url }, baseUrl: api.url, log: () => {} })
    const metric = (name: string) => summary.metrics.find((m) => m.name === name)?.value
    return {
      acknowledged: metric("answer_writes_acknowledged"),
      lost: metric("answers_lost"),
      lostThreshold: summary.thresholds.find((t) => t.key === "answers_lost")?.ok,
      dropped: summary.iterations.dropped
    }
  } finally {
    await api.close()
  }
}

// Each run mostly waits for its arrivals: the three share the time.
describe.concurrent("answers.js verification", () => {
  it("accounts for every write on a server that keeps them", async () => {
    const result = await verify({})
    expect(result).toEqual({ acknowledged: 40, lost: 0, lostThreshold: true, dropped: 0 })
  })

  it("counts acknowledged writes that were never stored", async () => {
    // The second (last) write to q03 of each of the 2 assessments vanishes.
    const result = await verify({ lose: { question: "q03", write: 2 } })
    expect(result).toEqual({ acknowledged: 40, lost: 2, lostThreshold: false, dropped: 0 })
  })

  it("counts answers left at an earlier value (the last write did not win)", async () => {
    // The second pass changes all 20 answers; none of the changes lands.
    const result = await verify({ firstWins: true })
    expect(result).toEqual({ acknowledged: 40, lost: 20, lostThreshold: false, dropped: 0 })
  })
})
