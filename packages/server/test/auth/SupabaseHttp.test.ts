import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { MigrationsLive } from "../../src/Migrations.js"
import { databases } from "../support/TestDatabase.js"
import { json, TestServer } from "../support/TestServer.js"
import { errorCode, invalidate, me, password, post, signup, stats, statsResponse, type StatsBody } from "./AuthHttp.js"
import { SupabaseFake } from "./SupabaseFake.js"

/**
 * Supabase mode through HTTP: the server configured with a (fake) Supabase project accepts the
 * project's access tokens beside local ones, creates each Supabase user's row once, and
 * refuses forged, expired, foreign-audience, wrong-role and unknown-key tokens with typed 401s.
 */

const operatorEmail = "supa-ops@example.com"

/** The fake project, the server trusting it, and the database under both (one instance of each). */
const supabaseServer = (database: (typeof databases)[number]["layer"]) => {
  const migrated = MigrationsLive.pipe(Layer.provideMerge(database))
  // Cooldown 0: every unknown key id refetches, so an unreachable JWKS shows at once.
  const fake = SupabaseFake.layer({ cooldownMs: 0 })
  const server = Layer.unwrapEffect(
    Effect.map(SupabaseFake, (project) =>
      TestServer.layer({
        database: migrated,
        auth: { supabase: Option.some(project.settings), operatorEmails: [operatorEmail] }
      }))
  )
  return Layer.mergeAll(server, migrated).pipe(Layer.provideMerge(fake))
}

const usersWithId = (id: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ readonly email: string | null; readonly auth_provider: string; readonly password_hash: string | null }>`
      select email, auth_provider, password_hash from app.users where id = ${id}`).pipe(Effect.orDie)

describe.each(databases)("Supabase tokens on $name", ({ layer: database }) => {
  layer(supabaseServer(database), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("ES256, RS256 and HS256 tokens pass on both paths; the user is `sub`, email and name from the token", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        for (const alg of ["ES256", "RS256", "HS256"] as const) {
          const sub = fake.newUser()
          const email = `${alg.toLowerCase()}.${sub.slice(0, 6)}@example.com`
          const token = fake.mint({ alg, claims: { sub, email } })
          for (const via of ["fast", "platform"] as const) {
            const response = yield* me(token, via)
            expect([alg, via, response.status]).toEqual([alg, via, 200])
            expect(yield* json(response)).toEqual({ id: sub, email, displayName: "Supabase Learner", roles: [] })
          }
        }
      }))

    it.effect("the profile row is created once: many tokens, concurrent first requests, cache invalidated", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        const sub = fake.newUser()
        const email = `once.${sub.slice(0, 6)}@example.com`
        // Ten devices signing in at once: ten tokens (ten session ids) for one new user.
        const tokens = Array.from({ length: 10 }, () => fake.mint({ claims: { sub, email } }))
        const statuses = yield* Effect.forEach(tokens, (token) => Effect.map(me(token), (r) => r.status), {
          concurrency: "unbounded"
        })
        expect(statuses).toEqual(Array(10).fill(200))
        const ops = fake.mint({ claims: { email: operatorEmail } })
        expect((yield* invalidate(ops)).status).toBe(200)
        for (const token of tokens.slice(0, 3)) expect((yield* me(token)).status).toBe(200)
        const rows = yield* usersWithId(sub)
        expect(rows).toEqual([{ email, auth_provider: "supabase", password_hash: null }])
      }))

    it.effect("tampered, expired, foreign-audience, wrong-role and unknown-key tokens: typed 401s", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        const good = fake.mint()
        const [header, payload, signature] = good.split(".") as [string, string, string]
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>
        const forgedPayload = Buffer.from(JSON.stringify({ ...claims, email: operatorEmail })).toString("base64url")
        const cases = {
          tampered: [`${header}.${forgedPayload}.${signature}`, "unauthorized"],
          expired: [fake.mint({ expiresIn: -30 }), "token_expired"],
          "foreign audience": [fake.mint({ claims: { aud: "another-app" } }), "unauthorized"],
          "anon role": [fake.mint({ claims: { role: "anon" } }), "unauthorized"],
          "unknown key id": [fake.mint({ kid: "not-published", signWith: fake.foreignKey("ES256") }), "unauthorized"],
          "another project's issuer": [fake.mint({ claims: { iss: "https://elsewhere.supabase.co/auth/v1" } }), "unauthorized"]
        } as const
        for (const [name, [token, code]] of Object.entries(cases)) {
          for (const via of ["fast", "platform"] as const) {
            const response = yield* me(token, via)
            expect([name, via, response.status, yield* errorCode(response)]).toEqual([name, via, 401, code])
          }
        }
      }))

    it.effect("local accounts keep working beside Supabase users, even with the same email", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        const local = yield* signup()
        const sub = fake.newUser()
        const supabaseToken = fake.mint({ claims: { sub, email: local.user.email } })
        const [a, b] = [yield* me(local.accessToken), yield* me(supabaseToken)]
        expect([a.status, b.status]).toEqual([200, 200])
        expect(((yield* json(a)) as { id: string }).id).toBe(local.user.id)
        expect(((yield* json(b)) as { id: string }).id).toBe(sub)
        // Signing in locally with that email still finds the local account, and only it.
        const signedIn = yield* post("login", { email: local.user.email.toUpperCase(), password })
        expect(signedIn.status).toBe(200)
        expect(((yield* json(signedIn)) as { user: { id: string } }).user.id).toBe(local.user.id)
      }))

    it.effect("a phone sign-in without email; an operator by email reads the cache through the same cache", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        const phoneUser = fake.mint({ claims: { email: "", phone: "4915112345678", user_metadata: {} } })
        const response = yield* me(phoneUser)
        expect(response.status).toBe(200)
        expect(yield* json(response)).toMatchObject({ email: "", displayName: "Learner", roles: [] })

        const ops = fake.mint({ claims: { email: operatorEmail } })
        const before = yield* stats(ops)
        for (let i = 0; i < 5; i++) expect((yield* me(phoneUser)).status).toBe(200)
        const after: StatsBody = yield* stats(ops)
        expect(after.hits - before.hits).toBe(6) // five /me and the second stats call
        expect(after.misses - before.misses).toBe(0)
        expect((yield* statsResponse(phoneUser)).status).toBe(403)
      }))

    it.effect("JWKS unreachable: a token whose key is not known yet is 503 service_unavailable, not 401", () =>
      Effect.gen(function*() {
        const fake = yield* SupabaseFake
        const rotated = fake.addKey("RS256", "rs-key-rotated")
        fake.setDown(true)
        try {
          const token = fake.mint({ alg: "RS256", kid: "rs-key-rotated", signWith: rotated })
          for (const via of ["fast", "platform"] as const) {
            const response = yield* me(token, via)
            expect([via, response.status, yield* errorCode(response)]).toEqual([via, 503, "service_unavailable"])
          }
          fake.setDown(false)
          expect((yield* me(token)).status).toBe(200) // not remembered as refused
        } finally {
          fake.setDown(false)
        }
      }))
  })
})
