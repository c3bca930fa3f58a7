/* global __ENV */
import { check, fail } from "k6"
import http from "k6/http"

/**
 * What both scenarios share: the target, sizes from the environment, and the learner's first
 * steps (sign up, start an assessment, get its quiz). Plain k6 JavaScript; the Node runner loads
 * it unchanged.
 */

/** The server under test; the server's own default port when unset. */
export const baseUrl = (__ENV.BASE_URL || "http://127.0.0.1:3001").replace(/\/+$/, "")

/** A positive integer from `__ENV[name]`, or `fallback`; anything else stops the test at init. */
export function intEnv(name, fallback) {
  const raw = __ENV[name]
  if (raw === undefined || raw === "") return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`)
  return value
}

/** A non-negative number from `__ENV[name]`, or `fallback`. */
export function numberEnv(name, fallback) {
  const raw = __ENV[name]
  if (raw === undefined || raw === "") return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of at least 0, got ${JSON.stringify(raw)}`)
  return value
}

/** Distinguishes this run's accounts from earlier runs' on the same server (emails are unique). */
export function newRunId() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`
}

/** Request parameters: JSON, the learner's token, the `name` tag that groups the request in results. */
export function params(token, name, headers) {
  return {
    headers: Object.assign(
      { "content-type": "application/json" },
      token ? { authorization: `Bearer ${token}` } : {},
      headers || {}
    ),
    tags: { name }
  }
}

/** Checks the status; false (and a failed check named after the request) when it is another. */
export function expectStatus(res, status, name) {
  return check(res, { [`${name} ${status}`]: (r) => r.status === status })
}

/** The JSON body, or null when it is not JSON (the status check has already failed then). */
export function body(res) {
  try {
    return res.json()
  } catch {
    return null
  }
}

/** A new learner's access token; null when sign-up failed. */
export function signUp(email) {
  const res = http.post(
    `${baseUrl}/api/v1/auth/signup`,
    JSON.stringify({ email, password: "Load-test passphrase 1", displayName: "Load test" }),
    params(null, "signup")
  )
  if (!expectStatus(res, 201, "signup")) return null
  return body(res)?.accessToken ?? null
}

/** A new assessment of a random pillar with its generated quiz; null when a step failed. */
export function startAssessment(token) {
  const created = http.post(`${baseUrl}/api/v1/assessments`, JSON.stringify({ draw: true }), params(token, "create"))
  if (!expectStatus(created, 201, "create")) return null
  const id = body(created)?.id
  const quiz = http.post(`${baseUrl}/api/v1/assessments/${id}/questions`, null, params(token, "questions"))
  if (!expectStatus(quiz, 200, "questions")) return null
  const questions = body(quiz)?.questions ?? []
  if (!check(questions, { "quiz has 10 questions": (q) => q.length === 10 })) return null
  return { id, questionIds: questions.map((q) => q.id) }
}

/** Like startAssessment, for setup(): a failure stops the test instead of skipping an iteration. */
export function mustStartAssessment(token) {
  return startAssessment(token) ?? fail("setup: could not create an assessment with its quiz")
}
