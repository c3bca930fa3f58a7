import { check, fail } from "k6"
import exec from "k6/execution"
import http from "k6/http"
import { Counter } from "k6/metrics"
import { baseUrl, body, expectStatus, intEnv, mustStartAssessment, newRunId, params, signUp } from "./lib/compilar.js"

/**
 * Lossless answers under load: answer PUTs at a constant arrival rate across many learners'
 * assessments, then, in teardown, every stored answer compared with the last write sent to it.
 *
 * The writes follow a schedule teardown can recompute. Setup makes ANSWERS_LEARNERS learners with
 * ANSWERS_ASSESSMENTS_PER_LEARNER assessments each, that is S = learners × assessments × 10 answer
 * slots; slot s is question s % 10 of assessment ⌊s / 10⌋, so the ten answers of one assessment are
 * written by consecutive iterations, concurrently (the case where a read-modify-write of one
 * row loses answers). Iteration n (numbered across all VUs: exec.scenario.iterationInTest, which
 * counts started iterations only, dropped ones excluded) writes slot n % S in pass ⌊n / S⌋, with
 * value (pass + slot) % 5 + 1: each pass changes every answer. Writes to one slot are S / rate
 * seconds apart, so they never overlap.
 *
 * The run starts rate × duration iterations; `dropped_iterations` must stay 0 (a threshold), so
 * every one of them ran and got its number. After N writes, slot s must hold the value of its last
 * pass, or nothing if s ≥ N. Teardown reads every assessment (GET /api/v1/assessments/:id →
 * answers) and counts the answers that differ: `answers_lost`, which must be 0. A write that failed
 * (see `http_req_failed`) shows up there too, its answer left at the earlier value, and so does a
 * dropped iteration's write, never sent (no idle VU: raise ANSWERS_PREALLOCATED_VUS); a clean run
 * has none of them. k6 VUs share nothing, so teardown cannot ask them what was acknowledged: the
 * schedule is what makes the check exact.
 *
 * Sizes: ANSWERS_RATE (100) per second for ANSWERS_DURATION_S (30), ANSWERS_LEARNERS (20),
 * ANSWERS_ASSESSMENTS_PER_LEARNER (5), ANSWERS_PREALLOCATED_VUS (50), ANSWERS_MAX_VUS (100);
 * every ANSWERS_REPLAY_EVERY-th (10) write is sent twice with its Idempotency-Key, and the replay
 * must answer the same.
 */

const questionsPerQuiz = 10
const rate = intEnv("ANSWERS_RATE", 100)
const durationS = intEnv("ANSWERS_DURATION_S", 30)
const learners = intEnv("ANSWERS_LEARNERS", 20)
const perLearner = intEnv("ANSWERS_ASSESSMENTS_PER_LEARNER", 5)
const replayEvery = intEnv("ANSWERS_REPLAY_EVERY", 10)
const slots = learners * perLearner * questionsPerQuiz
const planned = rate * durationS
/** Seconds between two writes to the same slot. */
const slotPeriodS = slots / rate

if (rate < 1 || slots < 1) throw new Error("ANSWERS_RATE, ANSWERS_LEARNERS and ANSWERS_ASSESSMENTS_PER_LEARNER must be at least 1")
if (slotPeriodS < 1) {
  throw new Error(`writes to one answer would be ${slotPeriodS}s apart: raise ANSWERS_LEARNERS or ANSWERS_ASSESSMENTS_PER_LEARNER, or lower ANSWERS_RATE`)
}
// Values cycle every 5 passes; beyond that, teardown could not tell pass p from pass p + 5.
if (planned > 5 * slots) throw new Error(`${planned} writes over ${slots} answers is more than 5 passes: add learners or assessments`)

const acknowledged = new Counter("answer_writes_acknowledged")
const lost = new Counter("answers_lost")

export const options = {
  scenarios: {
    answers: {
      executor: "constant-arrival-rate",
      exec: "answer",
      rate,
      timeUnit: "1s",
      duration: `${durationS}s`,
      preAllocatedVUs: intEnv("ANSWERS_PREALLOCATED_VUS", 50),
      maxVUs: intEnv("ANSWERS_MAX_VUS", 100)
    }
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    checks: ["rate==1"],
    answers_lost: ["count==0"],
    // Teardown's expectations assume every planned iteration ran.
    dropped_iterations: ["count==0"],
    "http_req_duration{name:answer}": ["p(95)<100", "p(99)<250"]
  },
  setupTimeout: "300s",
  teardownTimeout: "120s"
}

/** The value iteration n writes. */
const valueOf = (slot, pass) => ((pass + slot) % 5) + 1

export function setup() {
  const runId = newRunId()
  const assessments = []
  for (let l = 0; l < learners; l++) {
    const token = signUp(`answers-${runId}-${l}@example.com`) ?? fail("setup: sign-up failed")
    for (let a = 0; a < perLearner; a++) {
      const { id, questionIds } = mustStartAssessment(token)
      assessments.push({ id, token, questionIds })
    }
  }
  return { runId, assessments }
}

export function answer(data) {
  const n = exec.scenario.iterationInTest
  const slot = n % slots
  const { id, token, questionIds } = data.assessments[Math.floor(slot / questionsPerQuiz)]
  const questionId = questionIds[slot % questionsPerQuiz]
  const value = valueOf(slot, Math.floor(n / slots))
  const put = () =>
    http.put(`${baseUrl}/api/v1/assessments/${id}/answers/${questionId}`, JSON.stringify({ value }), {
      ...params(token, "answer", { "idempotency-key": `${data.runId}-${n}` }),
      // Past this the next pass's write to the same answer has started and could overtake it:
      // give up (a failed check) rather than race it. k6's default is 60 s.
      timeout: `${Math.min(60, slotPeriodS)}s`
    })
  const res = put()
  if (!expectStatus(res, 200, "answer")) return
  acknowledged.add(1)
  check(res, { "answer echoed": (r) => body(r)?.value === value && body(r)?.questionId === questionId })
  if (replayEvery > 0 && n % replayEvery === 0) {
    const replay = put()
    check(replay, { "replay answers the same": (r) => r.status === 200 && r.body === res.body })
  }
}

export function teardown(data) {
  const observed = []
  for (const { id, token, questionIds } of data.assessments) {
    const res = http.get(`${baseUrl}/api/v1/assessments/${id}`, params(token, "verify"))
    if (!expectStatus(res, 200, "verify")) fail(`teardown: could not read assessment ${id}`)
    const answers = body(res).answers
    for (const questionId of questionIds) observed.push(answers[questionId] ?? 0)
  }
  // The value slot s holds after `writes` writes (0: none yet).
  const expected = (s, writes) => (s >= writes ? 0 : valueOf(s, Math.floor((writes - 1 - s) / slots)))
  const mismatches = (writes) => observed.filter((value, s) => value !== expected(s, writes)).length
  // k6 may start one iteration more than planned when its last tick meets the end of `duration`.
  const found = Math.min(mismatches(planned), mismatches(planned + 1))
  lost.add(found)
  check(found, { "every stored answer is its last write": (n) => n === 0 })
}
