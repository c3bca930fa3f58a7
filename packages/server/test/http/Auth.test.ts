import { AnyErrorEnvelope, AuthSession } from "@compilar/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import { signClaims } from "../../src/Auth/Tokens.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { rawRequest } from "../support/RawHttp.js"
import { databases } from "../support/TestDatabase.js"
import { apiClient, json, request, TestServer, testAuthConfig } from "../support/TestServer.js"

type Envelope = typeof AnyErrorEnvelope.Encoded
type SessionBody = typeof AuthSession.Encoded

const password = "Correct-horse-battery-9"
const unique = (name = "learner") => `${name}.${randomBytes(4).toString("hex")}@example.com`

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  request(`/api/v1/auth/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body)
  })

const me = (accessToken: string) => request("/api/v1/auth/me", { headers: { authorization: `Bearer ${accessToken}` } })

const signup = (email = unique(), extra: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const response = yield* post("signup", { email, password, displayName: "Ada", ...extra })
    expect(response.status).toBe(201)
    return { response, body: (yield* json(response)) as SessionBody }
  })

const login = (email: string, pw = password) => post("login", { email, password: pw })

const errorOf = (response: Response) => Effect.map(json(response), (body) => (body as Envelope).error)

const refreshCookie = (response: Response) =>
  response.headers.getSetCookie().find((cookie) => cookie.startsWith("compilar_refresh="))

describe.each(databases)("accounts on $name", ({ layer: database }) => {
  const server = TestServer.layer({
    database: MigrationsLive.pipe(Layer.provideMerge(database)),
    config: { bodyLimitBytes: 4096 },
    auth: { operatorEmails: ["ops@example.com"] }
  })

  layer(server, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("sign-up answers the session through the derived client; /me answers the user", () =>
      Effect.gen(function*() {
        const trimmed = yield* signup(unique(), { displayName: "  Grace Hopper\t" })
        expect(trimmed.body.user.displayName).toBe("Grace Hopper")
        const client = yield* apiClient
        const email = unique("Mixed.Case")
        const session = yield* client.auth.signup({ payload: { email, password, displayName: "Ada Lovelace" } })
        expect(session.user).toMatchObject({ email, displayName: "Ada Lovelace", roles: [] })
        expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
        const minutes = (session.expiresAt.epochMillis - Date.now()) / 60_000
        expect(minutes).toBeGreaterThan(14)
        expect(minutes).toBeLessThanOrEqual(15)
        const response = yield* me(session.accessToken)
        expect(response.status).toBe(200)
        expect(yield* json(response)).toEqual({ id: session.user.id, email, displayName: "Ada Lovelace", roles: [] })
      }))

    it.effect("a duplicate email, in any case, is 409 email_taken", () =>
      Effect.gen(function*() {
        const email = unique()
        yield* signup(email)
        const response = yield* post("signup", { email: `  ${email.toUpperCase()} `, password, displayName: "Twin" })
        expect(response.status).toBe(409)
        expect(yield* errorOf(response)).toMatchObject({ code: "email_taken" })
        const client = yield* apiClient
        const error = yield* Effect.flip(client.auth.signup({ payload: { email, password, displayName: "Twin" } }))
        expect(error._tag).toBe("EmailTaken")
      }))

    it.effect("weak passwords are 400 validation_failed naming password and saying why", () =>
      Effect.gen(function*() {
        const email = unique("grace")
        for (const weak of ["short-1A", "alllowercaseletters", "111111111111111", "aaaaaaaaaaaaaA1", `${email}X1`, "Grace.abcd1234Z".replace("Grace", email.split("@")[0]!)]) {
          const response = yield* post("signup", { email, password: weak, displayName: "Grace" })
          expect(response.status).toBe(400)
          const error = yield* errorOf(response)
          expect(error.code).toBe("validation_failed")
          expect(error.details?.map((d) => d.path)).toEqual(["password"])
          expect(error.details?.[0]?.message).toMatch(/^Weak password: /)
        }
        expect((yield* login(email, "alllowercaseletters")).status).toBe(401)
      }))

    it.effect("malformed email, empty or long display name, missing fields: 400 naming each field", () =>
      Effect.gen(function*() {
        const cases: ReadonlyArray<readonly [unknown, ReadonlyArray<string>]> = [
          [{ email: "not-an-email", password, displayName: "A" }, ["email"]],
          [{ email: "a@b", password, displayName: "A" }, ["email"]],
          [{ email: "two@@example.com", password, displayName: "A" }, ["email"]],
          [{ email: unique(), password, displayName: "   " }, ["displayName"]],
          [{ email: unique(), password, displayName: "x".repeat(81) }, ["displayName"]],
          [{ email: "nope", password: "short", displayName: "" }, ["displayName", "email", "password"]],
          [{}, ["displayName", "email", "password"]]
        ]
        for (const [body, fields] of cases) {
          const response = yield* post("signup", body)
          expect(response.status).toBe(400)
          const error = yield* errorOf(response)
          expect(error.code).toBe("validation_failed")
          expect(error.details?.map((d) => d.path).sort()).toEqual(fields)
        }
      }))

    it.effect("wrong password and unknown email answer alike: 401 invalid_credentials, same message", () =>
      Effect.gen(function*() {
        const email = unique()
        yield* signup(email)
        const wrong = yield* login(email, "Wrong-password-123")
        const unknown = yield* login(unique("nobody"), password)
        expect(wrong.status).toBe(401)
        expect(unknown.status).toBe(401)
        const [a, b] = [yield* errorOf(wrong), yield* errorOf(unknown)]
        expect(a.code).toBe("invalid_credentials")
        expect({ code: b.code, message: b.message }).toEqual({ code: a.code, message: a.message })
        expect(refreshCookie(wrong)).toBeUndefined()
      }))

    it.effect("login with any case of the email starts a new session", () =>
      Effect.gen(function*() {
        const email = unique()
        const { body: first } = yield* signup(email)
        const client = yield* apiClient
        const session = yield* client.auth.login({ payload: { email: email.toUpperCase(), password } })
        expect(session.user.id).toBe(first.user.id)
        expect(session.refreshToken).not.toBe(first.refreshToken)
        expect((yield* me(session.accessToken)).status).toBe(200)
      }))

    it.effect("the operator role comes from OPERATOR_EMAILS", () =>
      Effect.gen(function*() {
        const email = `ops+${randomBytes(3).toString("hex")}@example.com`
        const { body: plain } = yield* signup(email)
        expect(plain.user.roles).toEqual([])
        const { body: operator } = yield* signup("Ops@Example.com").pipe(
          Effect.catchAllDefect(() => Effect.die("ops@example.com already used"))
        )
        expect(operator.user.roles).toEqual(["operator"])
        expect(yield* json(yield* me(operator.accessToken))).toMatchObject({ roles: ["operator"] })
      }))

    it.effect("refresh rotates; replaying a replaced token revokes the whole session", () =>
      Effect.gen(function*() {
        const client = yield* apiClient
        const { body: first } = yield* signup()
        const second = yield* client.auth.refresh({ payload: { refreshToken: first.refreshToken } })
        expect(second.refreshToken).not.toBe(first.refreshToken)
        expect(second.user.id).toBe(first.user.id)
        expect((yield* me(second.accessToken)).status).toBe(200)

        const replay = yield* post("refresh", { refreshToken: first.refreshToken })
        expect(replay.status).toBe(401)
        expect(yield* errorOf(replay)).toMatchObject({ code: "refresh_reused" })

        const afterReuse = yield* post("refresh", { refreshToken: second.refreshToken })
        expect(afterReuse.status).toBe(401)
        expect(yield* errorOf(afterReuse)).toMatchObject({ code: "unauthorized" })
        expect((yield* me(second.accessToken)).status).toBe(401)
        expect((yield* me(first.accessToken)).status).toBe(401)

        const typed = yield* Effect.flip(client.auth.refresh({ payload: { refreshToken: first.refreshToken } }))
        expect(typed._tag).toBe("RefreshReused")
        const unknown = yield* post("refresh", { refreshToken: "x".repeat(43) })
        expect(yield* errorOf(unknown)).toMatchObject({ code: "unauthorized" })
        expect(yield* errorOf(yield* post("refresh", {}))).toMatchObject({ code: "unauthorized" })
      }))

    it.effect("logout of one device leaves the other signed in", () =>
      Effect.gen(function*() {
        const email = unique()
        yield* signup(email)
        const laptop = (yield* json(yield* login(email))) as SessionBody
        const phone = (yield* json(yield* login(email))) as SessionBody

        const out = yield* post("logout", { refreshToken: laptop.refreshToken })
        expect(out.status).toBe(204)
        expect((yield* me(laptop.accessToken)).status).toBe(401)
        expect((yield* post("refresh", { refreshToken: laptop.refreshToken })).status).toBe(401)

        expect((yield* me(phone.accessToken)).status).toBe(200)
        const renewed = yield* post("refresh", { refreshToken: phone.refreshToken })
        expect(renewed.status).toBe(200)
        expect((yield* me(((yield* json(renewed)) as SessionBody).accessToken)).status).toBe(200)

        // Logging out twice, or with nothing, is not an error.
        expect((yield* post("logout", { refreshToken: laptop.refreshToken })).status).toBe(204)
        expect((yield* post("logout", {})).status).toBe(204)
      }))

    it.effect("missing, tampered, foreign and expired access tokens are 401", () =>
      Effect.gen(function*() {
        const { body } = yield* signup()
        const missing = yield* request("/api/v1/auth/me")
        expect(missing.status).toBe(401)
        expect(yield* errorOf(missing)).toMatchObject({ code: "unauthorized" })

        const [header, payload, signature] = body.accessToken.split(".") as [string, string, string]
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>
        const forged = Buffer.from(JSON.stringify({ ...claims, roles: ["operator"] })).toString("base64url")
        const key = testAuthConfig().jwtKey
        for (const token of [
          `${header}.${forged}.${signature}`,
          `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
          signClaims(key, { ...claims, aud: "authenticated" }),
          "garbage"
        ]) {
          const response = yield* me(token)
          expect(response.status).toBe(401)
          expect(yield* errorOf(response)).toMatchObject({ code: "unauthorized" })
        }

        const now = Math.floor(Date.now() / 1000)
        const expired = yield* me(signClaims(key, { ...claims, iat: now - 1000, exp: now - 100 }))
        expect(expired.status).toBe(401)
        expect(yield* errorOf(expired)).toMatchObject({ code: "token_expired" })

        const otherSession = yield* me(signClaims(key, { ...claims, sid: randomUUID() }))
        expect(otherSession.status).toBe(401)
      }))

    it.effect("the web app's cookie: set on sign-up, enough for refresh and logout, cleared on logout", () =>
      Effect.gen(function*() {
        const { body, response } = yield* signup()
        const cookie = refreshCookie(response)!
        expect(cookie).toContain(`compilar_refresh=${body.refreshToken}`)
        expect(cookie).toMatch(/; HttpOnly/)
        expect(cookie).toMatch(/; SameSite=Strict/)
        expect(cookie).toMatch(/; Path=\/api\/v1\/auth/)
        expect(cookie).toMatch(/; Max-Age=2592000/)
        expect(cookie).not.toMatch(/; Secure/) // 127.0.0.1: plain http is allowed on loopback only

        const refreshed = yield* post("refresh", {}, { cookie: `compilar_refresh=${body.refreshToken}` })
        expect(refreshed.status).toBe(200)
        const next = (yield* json(refreshed)) as SessionBody
        expect(refreshCookie(refreshed)).toContain(`compilar_refresh=${next.refreshToken}`)

        // Any other host (fetch cannot set Host): Secure.
        const { url } = yield* TestServer
        const elsewhere = yield* rawRequest(url, "/api/v1/auth/refresh", {
          method: "POST",
          headers: {
            host: "app.example.com",
            cookie: `compilar_refresh=${next.refreshToken}`,
            "content-type": "application/json",
            "content-length": "2"
          },
          body: "{}"
        })
        expect(elsewhere.status).toBe(200)
        expect(elsewhere.headers["set-cookie"]?.[0]).toMatch(/; Secure/)
        const latest = JSON.parse(elsewhere.body) as SessionBody

        const out = yield* post("logout", {}, { cookie: `compilar_refresh=${latest.refreshToken}` })
        expect(out.status).toBe(204)
        expect(refreshCookie(out)).toMatch(/compilar_refresh=;.*Max-Age=0/)
        expect((yield* post("refresh", {}, { cookie: `compilar_refresh=${latest.refreshToken}` })).status).toBe(401)
      }))

    it.effect("an oversized sign-up body is refused with 413 before it is read", () =>
      Effect.gen(function*() {
        const response = yield* post("signup", { email: unique(), password, displayName: "x".repeat(5000) })
        expect(response.status).toBe(413)
        expect(yield* errorOf(response)).toMatchObject({ code: "payload_too_large" })
        const malformed = yield* request("/api/v1/auth/login", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{\"email\":"
        })
        expect(malformed.status).toBe(400)
        expect(yield* errorOf(malformed)).toMatchObject({ code: "malformed_json" })
      }))
  })
})
