import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Either, Redacted, TestClock } from "effect"
import {
  hashRefreshToken,
  newRefreshToken,
  signAccessToken,
  signClaims,
  verifyAccessToken
} from "../../src/Auth/Tokens.js"

const key = Redacted.make(Buffer.from("unit-test-key-unit-test-key-unit-test-key") as Uint8Array)
const otherKey = Redacted.make(Buffer.from("another-key-another-key-another-key-xx") as Uint8Array)
const subject = {
  userId: "5b0c8f4e-8d1e-4f3a-9a55-0b3c6b1d2e7f",
  sessionId: "0f7c2d9e-3b4a-4c1d-8e2f-6a5b4c3d2e1f",
  roles: ["operator"]
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url")

describe("access tokens", () => {
  it.effect("round-trip: HS256 with issuer, audience, subject, session and roles", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_800_000_000_000)
      const signed = yield* signAccessToken(key, subject, 900)
      expect(signed.expiresAtMs).toBe(1_800_000_900_000)
      const header = JSON.parse(Buffer.from(signed.token.split(".")[0]!, "base64url").toString())
      expect(header).toEqual({ alg: "HS256", typ: "JWT" })
      const verified = yield* verifyAccessToken(key, signed.token)
      expect(Either.getOrThrow(verified)).toMatchObject({
        iss: "compilar",
        aud: "compilar",
        sub: subject.userId,
        sid: subject.sessionId,
        roles: ["operator"],
        iat: 1_800_000_000,
        exp: 1_800_000_900
      })
    }))

  it.effect("valid until exp, expired from exp on", () =>
    Effect.gen(function*() {
      const signed = yield* signAccessToken(key, subject, 900)
      yield* TestClock.adjust(Duration.seconds(899))
      expect(Either.isRight(yield* verifyAccessToken(key, signed.token))).toBe(true)
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* verifyAccessToken(key, signed.token)).toEqual(Either.left("expired"))
    }))

  it.effect("tampered, foreign-key, alg=none, wrong audience and garbage tokens are invalid", () =>
    Effect.gen(function*() {
      const { token } = yield* signAccessToken(key, subject, 900)
      const [header, payload, signature] = token.split(".") as [string, string, string]
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString())
      const invalid = [
        `${header}.${segment({ ...claims, roles: ["operator", "admin"] })}.${signature}`,
        `${header}.${payload}.${signature.slice(0, -2)}AA`,
        (yield* signAccessToken(otherKey, subject, 900)).token,
        `${segment({ alg: "none", typ: "JWT" })}.${payload}.`,
        `${segment({ alg: "none" })}.${payload}.${signature}`,
        signClaims(key, { ...claims, aud: "authenticated" }),
        signClaims(key, { ...claims, sub: "not-a-uuid" }),
        "",
        "a.b",
        "not a token at all",
        `${token}.extra`
      ]
      for (const candidate of invalid) {
        expect(yield* verifyAccessToken(key, candidate)).toEqual(Either.left("invalid"))
      }
    }))

  it.effect("an expired token with a bad signature is invalid, not expired", () =>
    Effect.gen(function*() {
      const { token } = yield* signAccessToken(otherKey, subject, 60)
      yield* TestClock.adjust(Duration.hours(1))
      expect(yield* verifyAccessToken(key, token)).toEqual(Either.left("invalid"))
    }))
})

describe("refresh tokens", () => {
  it("are 32 random bytes in base64url, stored as a hex SHA-256", () => {
    const token = newRefreshToken()
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(token, "base64url")).toHaveLength(32)
    expect(newRefreshToken()).not.toBe(token)
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/)
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token))
    expect(hashRefreshToken(token)).not.toContain(token)
  })
})
