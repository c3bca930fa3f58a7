import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { hashPassword, owaspScrypt, parseHash, verifyPassword } from "../../src/Auth/Passwords.js"

const cheap = { logN: 12, r: 8, p: 1 }

describe("Passwords", () => {
  it.effect("hashes at OWASP's scrypt cost by default, with the cost stored beside salt and key", () =>
    Effect.gen(function*() {
      const stored = yield* hashPassword("correct horse battery staple")
      expect(stored).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
      expect(parseHash(stored)?.params).toEqual(owaspScrypt)
      expect(yield* verifyPassword("correct horse battery staple", stored)).toBe(true)
    }), 30_000)

  it.effect("accepts the right password only; a fresh salt every time", () =>
    Effect.gen(function*() {
      const a = yield* hashPassword("Tr0ub4dor&3-long", cheap)
      const b = yield* hashPassword("Tr0ub4dor&3-long", cheap)
      expect(a).not.toBe(b)
      expect(yield* verifyPassword("Tr0ub4dor&3-long", a)).toBe(true)
      expect(yield* verifyPassword("Tr0ub4dor&3-long", b)).toBe(true)
      expect(yield* verifyPassword("tr0ub4dor&3-long", a)).toBe(false)
      expect(yield* verifyPassword("", a)).toBe(false)
    }))

  it.effect("verifies with the cost stored in the hash, not the current default", () =>
    Effect.gen(function*() {
      const old = yield* hashPassword("an older passw0rd", { logN: 10, r: 8, p: 1 })
      expect(old).toContain("$ln=10,")
      expect(yield* verifyPassword("an older passw0rd", old)).toBe(true)
    }))

  it.effect("a damaged or foreign hash never verifies", () =>
    Effect.gen(function*() {
      const stored = yield* hashPassword("something-Secret", cheap)
      const [scheme, params, salt, key] = stored.split("$") as [string, string, string, string]
      const flipped = `${scheme}$${params}$${salt}$${key.startsWith("A") ? "B" : "A"}${key.slice(1)}`
      expect(yield* verifyPassword("something-Secret", flipped)).toBe(false)
      expect(yield* verifyPassword("something-Secret", `${scheme}$${params}$${salt}$${key.slice(0, 10)}`)).toBe(false)
      expect(yield* verifyPassword("something-Secret", "$2b$12$bcrypt-hash-from-elsewhere")).toBe(false)
      expect(yield* verifyPassword("something-Secret", `scrypt$ln=30,r=8,p=1$${salt}$${key}`)).toBe(false)
    }))
})
