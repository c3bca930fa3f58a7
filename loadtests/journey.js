/* global __VU, __ITER */
import { check, sleep } from "k6"
import http from "k6/http"
import { baseUrl, body, expectStatus, intEnv, newRunId, numberEnv, params, signUp, startAssessment } from "./lib/compilar.js"

/**
 * The learner journey, end to end, by a ramp of virtual learners: sign up, start an assessment,
 * generate its quiz, answer the ten questions (each PUT with an Idempotency-Key, as the web app
 * sends them), complete it, read the results, read the coaching stream to its `done` event, and
 * look at progress. Each iteration is a new learner. Think time between steps is THINK_TIME_S.
 *
 * Sizes: JOURNEY_VUS (5) learners at once, reached over JOURNEY_RAMP_S (20) seconds, held for
 * JOURNEY_HOLD_S (40), ramped down over JOURNEY_RAMP_DOWN_S (10); THINK_TIME_S (1).
 */

const vus = intEnv("JOURNEY_VUS", 5)
const think = numberEnv("THINK_TIME_S", 1)

export const options = {
  scenarios: {
    journey: {
      executor: "ramping-vus",
      startVUs: 0,
      stages: [
        { duration: `${intEnv("JOURNEY_RAMP_S", 20)}s`, target: vus },
        { duration: `${intEnv("JOURNEY_HOLD_S", 40)}s`, target: vus },
        { duration: `${intEnv("JOURNEY_RAMP_DOWN_S", 10)}s`, target: 0 }
      ],
      gracefulRampDown: "30s"
    }
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    checks: ["rate>0.99"],
    // Budgets for this project's 2-core machines (see README); sign-up hashes the password (scrypt).
    "http_req_duration{name:signup}": ["p(95)<1500"],
    "http_req_duration{name:create}": ["p(95)<300"],
    "http_req_duration{name:questions}": ["p(95)<800"],
    "http_req_duration{name:answer}": ["p(95)<300"],
    "http_req_duration{name:complete}": ["p(95)<500"],
    "http_req_duration{name:results}": ["p(95)<300"],
    "http_req_duration{name:coaching}": ["p(95)<1500"],
    "http_req_duration{name:progress}": ["p(95)<300"]
  }
}

export function setup() {
  return { runId: newRunId() }
}

export default function (data) {
  const token = signUp(`journey-${data.runId}-${__VU}-${__ITER}@example.com`)
  if (token === null) return
  sleep(think)

  const assessment = startAssessment(token)
  if (assessment === null) return
  const { id } = assessment

  for (const questionId of assessment.questionIds) {
    sleep(think / 4)
    const value = 1 + Math.floor(Math.random() * 5)
    const res = http.put(
      `${baseUrl}/api/v1/assessments/${id}/answers/${questionId}`,
      JSON.stringify({ value }),
      params(token, "answer", { "idempotency-key": `${id}:${questionId}` })
    )
    if (!expectStatus(res, 200, "answer")) return
    check(res, { "answer echoed": (r) => body(r)?.value === value })
  }

  const completed = http.post(`${baseUrl}/api/v1/assessments/${id}/complete`, null, params(token, "complete"))
  if (!expectStatus(completed, 200, "complete")) return
  sleep(think)

  const results = http.get(`${baseUrl}/api/v1/assessments/${id}/results`, params(token, "results"))
  if (!expectStatus(results, 200, "results")) return
  check(results, { "results have a pillar score": (r) => typeof body(r)?.pillarScore === "number" })

  // Server-Sent Events: the server ends the response after the terminal event, so the body is
  // the whole stream.
  const coaching = http.get(`${baseUrl}/api/v1/assessments/${id}/coaching`, {
    ...params(token, "coaching", { accept: "text/event-stream" }),
    timeout: "60s"
  })
  if (!expectStatus(coaching, 200, "coaching")) return
  check(coaching, {
    "coaching ends with done": (r) => r.body.includes("\nevent: done\n"),
    "coaching has no error event": (r) => !r.body.includes("\nevent: error\n")
  })
  sleep(think)

  const progress = http.get(`${baseUrl}/api/v1/me/progress`, params(token, "progress"))
  if (!expectStatus(progress, 200, "progress")) return
  check(progress, { "progress counts the assessment": (r) => body(r)?.completed === 1 })
}
