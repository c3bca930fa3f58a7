import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Either, Option, Redacted, TestClock } from "effect"
import { createHmac } from "node:crypto"
import { parseJwks } from "../../src/Auth/Jwks.js"
import { claimedIssuer, displayNameOf, makeSupabaseVerifier, supabaseConfig } from "../../src/Auth/Supabase.js"
import { describeConfigError } from "../../src/Config.js"
import { SupabaseFake } from "./SupabaseFake.js"

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** The verifier reads time from the Clock: start it at the wall clock the fake mints with. */
const atWallClock = Effect.suspend(() => TestClock.setTime(Date.now()))

const verifier = Effect.flatMap(SupabaseFake, (fake) => makeSupabaseVerifier(fake.settings))

describe("Supabase access tokens", () => {
  layer(SupabaseFake.layer())((it) => {
    it.effect("tokens minted as Supabase mints them pass: ES256 and RS256 (JWKS), HS256 (legacy secret)", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        for (const alg of ["ES256", "RS256", "HS256"] as const) {
          const sub = fake.newUser()
          const claims = Either.getOrThrow(yield* verify(fake.mint({ alg, claims: { sub } })))
          expect(claims).toMatchObject({ sub, role: "authenticated", aud: "authenticated", iss: `${fake.url}/auth/v1` })
        }
        const list = yield* verify(fake.mint({ claims: { aud: ["authenticated", "other"] } }))
        expect(Either.isRight(list)).toBe(true)
      }))

    it.effect("tampered, forged, foreign-audience, wrong-role, wrong-issuer and malformed tokens are invalid", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        const good = fake.mint()
        const [header, payload, signature] = good.split(".") as [string, string, string]
        const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>
        const rsaPublicPem = (yield* Effect.sync(() => fake.foreignKey("RS256"))).publicKey.export({ type: "spki", format: "pem" })
        const invalid = {
          tampered: `${header}.${segment({ ...claims, sub: fake.newUser() })}.${signature}`,
          "one signature character changed": `${header}.${payload}.${signature.slice(0, 10)}${
            signature[10] === "A" ? "B" : "A"
          }${signature.slice(11)}`,
          "forged ES256 under a published kid": fake.mint({ kid: "es-key-1", signWith: fake.foreignKey("ES256") }),
          "forged RS256 under a published kid": fake.mint({ alg: "RS256", kid: "rs-key-1", signWith: fake.foreignKey("RS256") }),
          "ES256 header on the RSA key's kid": fake.mint({ alg: "RS256", kid: "rs-key-1" }).replace(
            /^[^.]+/,
            segment({ alg: "ES256", kid: "rs-key-1", typ: "JWT" })
          ),
          "foreign audience": fake.mint({ claims: { aud: "some-other-app" } }),
          "anon role": fake.mint({ claims: { role: "anon" } }),
          "service_role": fake.mint({ claims: { role: "service_role" } }),
          "another project": fake.mint({ claims: { iss: "https://other.supabase.co/auth/v1" } }),
          "not before the future": fake.mint({ claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }),
          "sub not a uuid": fake.mint({ claims: { sub: "admin" } }),
          "alg none": `${segment({ alg: "none", typ: "JWT" })}.${payload}.`,
          "HS256 keyed with a public key": (() => {
            const input = `${segment({ alg: "HS256", kid: "rs-key-1", typ: "JWT" })}.${payload}`
            return `${input}.${createHmac("sha256", rsaPublicPem).update(input).digest("base64url")}`
          })(),
          "no kid": `${segment({ alg: "ES256", typ: "JWT" })}.${payload}.${signature}`,
          garbage: "not.a.token",
          empty: ""
        }
        for (const [name, token] of Object.entries(invalid)) {
          expect([name, yield* verify(token)]).toEqual([name, Either.left("invalid")])
        }
      }))

    it.effect("expired tokens are 'expired' (only when genuine); expiry follows the Clock", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        expect(yield* verify(fake.mint({ expiresIn: -1 }))).toEqual(Either.left("expired"))
        expect(yield* verify(fake.mint({ expiresIn: -60, claims: { aud: "other" } }))).toEqual(Either.left("invalid"))
        const token = fake.mint({ alg: "RS256", expiresIn: 60 })
        expect(Either.isRight(yield* verify(token))).toBe(true)
        yield* TestClock.adjust(Duration.seconds(61))
        expect(yield* verify(token)).toEqual(Either.left("expired"))
      }))
  })

  layer(SupabaseFake.layer({ cooldownMs: 30_000 }))((it) => {
    it.effect("an unknown kid refetches the JWKS at most once per cooldown; a rotated-in key is found", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        yield* verify(fake.mint())
        expect(fake.jwksRequests()).toBe(1)
        for (let i = 0; i < 5; i++) yield* verify(fake.mint({ alg: "ES256" }))
        expect(fake.jwksRequests()).toBe(1) // known keys: no fetch

        // The project rotates in a new key; the first token signed with it triggers one fetch.
        yield* TestClock.adjust(Duration.seconds(31))
        const rotated = fake.addKey("ES256", "es-key-2")
        expect(Either.isRight(yield* verify(fake.mint({ kid: "es-key-2", signWith: rotated })))).toBe(true)
        expect(fake.jwksRequests()).toBe(2)

        // A stream of made-up kids: one fetch for the first, none until the cooldown has passed.
        for (let i = 0; i < 20; i++) {
          expect(yield* verify(fake.mint({ kid: `made-up-${i}`, signWith: fake.foreignKey("ES256") }))).toEqual(
            Either.left("invalid")
          )
        }
        expect(fake.jwksRequests()).toBe(2) // the es-key-2 fetch was under 30 s ago
        yield* TestClock.adjust(Duration.seconds(30))
        yield* verify(fake.mint({ kid: "made-up-again", signWith: fake.foreignKey("ES256") }))
        yield* verify(fake.mint({ kid: "made-up-once-more", signWith: fake.foreignKey("ES256") }))
        expect(fake.jwksRequests()).toBe(3)
      }))
  })

  layer(SupabaseFake.layer({ cooldownMs: 1_000 }))((it) => {
    it.effect("JWKS unreachable: asymmetric tokens are 'unavailable' (not refused), then pass once it answers", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        fake.setDown(true)
        const token = fake.mint()
        expect(yield* verify(token)).toEqual(Either.left("unavailable"))
        // The legacy secret needs no fetch.
        expect(Either.isRight(yield* verify(fake.mint({ alg: "HS256" })))).toBe(true)
        fake.setDown(false)
        expect(yield* verify(token)).toEqual(Either.left("unavailable")) // cooling down
        yield* TestClock.adjust(Duration.seconds(1))
        expect(Either.isRight(yield* verify(token))).toBe(true)
        // Down again later: the keys already fetched keep serving.
        fake.setDown(true)
        yield* TestClock.adjust(Duration.minutes(11))
        expect(Either.isRight(yield* verify(fake.mint({ alg: "RS256" })))).toBe(true)
      }))
  })

  layer(SupabaseFake.layer({ legacySecret: false }))((it) => {
    it.effect("without SUPABASE_JWT_SECRET, HS256 tokens are refused", () =>
      Effect.gen(function*() {
        yield* atWallClock
        const fake = yield* SupabaseFake
        const { verify } = yield* verifier
        expect(yield* verify(fake.mint({ alg: "HS256" }))).toEqual(Either.left("invalid"))
        expect(Either.isRight(yield* verify(fake.mint({ alg: "RS256" })))).toBe(true)
      }))
  })
})

describe("Supabase helpers", () => {
  it("claimedIssuer reads iss without verifying; anything odd is undefined", () => {
    expect(claimedIssuer(`${segment({ alg: "HS256" })}.${segment({ iss: "https://x.supabase.co/auth/v1" })}.sig`)).toBe(
      "https://x.supabase.co/auth/v1"
    )
    expect(claimedIssuer(`${segment({ alg: "HS256" })}.${segment({ iss: 42 })}.sig`)).toBeUndefined()
    expect(claimedIssuer(`a.${Buffer.from("{not json").toString("base64url")}.c`)).toBeUndefined()
    expect(claimedIssuer("nope")).toBeUndefined()
  })

  it("displayNameOf: metadata name, else the email's local part, else Learner; at most 80 characters", () => {
    const base = { iss: "i", sub: "s", aud: "authenticated", role: "authenticated", exp: 1 }
    expect(displayNameOf({ ...base, email: "ada@example.com", user_metadata: { full_name: " Ada L " } })).toBe("Ada L")
    expect(displayNameOf({ ...base, email: "ada@example.com", user_metadata: { name: "" } })).toBe("ada")
    expect(displayNameOf({ ...base })).toBe("Learner")
    expect(displayNameOf({ ...base, user_metadata: { name: "x".repeat(100) } })).toHaveLength(80)
  })

  it("parseJwks keeps P-256 and RSA signing keys and skips the rest", () => {
    const jwks = JSON.stringify({
      keys: [
        { kty: "EC", crv: "P-256", kid: "ok-ec", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
        { kty: "EC", crv: "P-384", kid: "p384", x: "a", y: "b" },
        { kty: "EC", crv: "P-256", kid: "enc", use: "enc", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
        { kty: "EC", crv: "P-256", kid: "wrong-alg", alg: "RS256", x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0" },
        { kty: "oct", kid: "secret", k: "c2VjcmV0" },
        { kty: "EC", crv: "P-256", kid: "broken", x: "AA", y: "AA" },
        "not an object"
      ]
    })
    expect([...(parseJwks(jwks)?.keys() ?? [])]).toEqual(["ok-ec"])
    expect(parseJwks("{}")).toBeUndefined()
  })
})

describe("Supabase configuration", () => {
  const load = (env: Record<string, string>) =>
    Effect.withConfigProvider(supabaseConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))

  it.effect("off without SUPABASE_URL; on with it, audience 'authenticated' by default, trailing slash dropped", () =>
    Effect.gen(function*() {
      expect(yield* load({})).toEqual(Option.none())
      const on = Option.getOrThrow(yield* load({ SUPABASE_URL: "https://abc.supabase.co/", SUPABASE_JWT_SECRET: "s3cret" }))
      expect(on.url).toBe("https://abc.supabase.co")
      expect(on.audience).toBe("authenticated")
      expect(Buffer.from(Redacted.value(Option.getOrThrow(on.jwtSecret))).toString()).toBe("s3cret")
      const custom = Option.getOrThrow(yield* load({ SUPABASE_URL: "https://abc.supabase.co", SUPABASE_JWT_AUDIENCE: "mobile" }))
      expect(custom.audience).toBe("mobile")
      expect(custom.jwtSecret).toEqual(Option.none())
    }))

  it.effect("a SUPABASE_URL that is not an http(s) URL stops start-up naming it", () =>
    Effect.gen(function*() {
      for (const bad of ["abc.supabase.co", "ftp://abc.supabase.co", "https://abc.supabase.co?x=1"]) {
        const error = yield* Effect.flip(load({ SUPABASE_URL: bad }))
        expect(describeConfigError(error).join("\n")).toMatch(/^SUPABASE_URL: /)
      }
    }))
})
