import { AnyErrorEnvelope, AuthSession, TokenCacheStats } from "@compilar/domain"
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { json, request } from "../support/TestServer.js"

/** Small HTTP helpers for the auth tests: sign up, call /me and the operator endpoints, read envelopes. */

/** The contract's wire shapes, as the tests read raw responses. */
export type Envelope = typeof AnyErrorEnvelope.Encoded
export type SessionBody = typeof AuthSession.Encoded
export type StatsBody = typeof TokenCacheStats.Encoded

export const password = "Correct-horse-battery-9"
export const uniqueEmail = (name = "learner") => `${name}.${randomBytes(4).toString("hex")}@example.com`

const bearer = (token: string | undefined): Record<string, string> =>
  token === undefined ? {} : { authorization: `Bearer ${token}` }

export const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
  request(`/api/v1/auth/${path}`, {
    method: "POST",
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

/** GET /api/v1/auth/me: the fast path, or the platform's HttpApi path (a query string is not a fast-route match). */
export const me = (token: string | undefined, via: "fast" | "platform" = "fast", headers: Record<string, string> = {}) =>
  request(`/api/v1/auth/me${via === "platform" ? "?via=platform" : ""}`, { headers: { ...bearer(token), ...headers } })

export const signup = (email = uniqueEmail()) =>
  Effect.gen(function*() {
    const response = yield* post("signup", { email, password, displayName: "Ada" })
    if (response.status !== 201) throw new Error(`sign-up answered ${response.status}`)
    return (yield* json(response)) as SessionBody
  })

export const login = (email: string) =>
  Effect.flatMap(post("login", { email, password }), (response) => json(response) as Effect.Effect<SessionBody>)

export const statsResponse = (token: string | undefined) => request("/api/v1/auth/cache-stats", { headers: bearer(token) })

export const stats = (token: string) =>
  Effect.flatMap(statsResponse(token), (response) => {
    if (response.status !== 200) throw new Error(`cache-stats answered ${response.status}`)
    return json(response) as Effect.Effect<StatsBody>
  })

export const invalidate = (token: string | undefined) => post("invalidate-cache", undefined, bearer(token))

export const errorCode = (response: Response) => Effect.map(json(response), (body) => (body as Envelope).error.code)
