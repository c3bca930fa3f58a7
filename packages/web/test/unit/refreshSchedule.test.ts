import { describe, expect, it } from "vitest"
import {
  defaultRefreshTiming,
  refreshDelayMs,
  retryDelayMs,
  tokenLifetimeMs,
  tokenTimes
} from "../../src/lib/session/refreshSchedule.js"

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(claims)}.c2ln`

describe("tokenTimes", () => {
  it("reads iat and exp from a JWT's payload", () => {
    expect(tokenTimes(jwt({ sub: "u", iat: 1_000, exp: 1_900 }))).toEqual({ iat: 1_000, exp: 1_900 })
  })

  it("gives up on anything that is not a readable JWT", () => {
    expect(tokenTimes("opaque-token")).toBeUndefined()
    expect(tokenTimes("a.%%%.c")).toBeUndefined()
    expect(tokenTimes(`a.${b64url("just a string")}.c`)).toBeUndefined()
    expect(tokenTimes(jwt({ iat: "1000", exp: 1_900 }))).toBeUndefined()
    expect(tokenTimes(jwt({ iat: 1_900, exp: 1_000 }))).toBeUndefined()
  })
})

describe("tokenLifetimeMs", () => {
  it("uses the token's own lifetime, whatever this device's clock says", () => {
    const token = jwt({ iat: 1_000, exp: 1_900 })
    // The device's clock is 20 minutes ahead of the server's: expiresAt looks past already.
    const receivedAt = (1_000 + 20 * 60) * 1000
    expect(tokenLifetimeMs(token, 1_900_000, receivedAt)).toBe(900_000)
  })

  it("falls back to expiresAt against this clock for a token it cannot read", () => {
    expect(tokenLifetimeMs("opaque", 10_000 + 900_000, 10_000)).toBe(900_000)
    expect(tokenLifetimeMs("opaque", 5_000, 10_000)).toBe(0)
  })
})

describe("refreshDelayMs", () => {
  it("refreshes a minute before a 15-minute token expires", () => {
    expect(refreshDelayMs(15 * 60_000)).toBe(14 * 60_000)
  })

  it("keeps a fifth of a short lifetime in hand", () => {
    expect(refreshDelayMs(60_000)).toBe(48_000)
  })

  it("never schedules sooner than the floor, so an expired-looking token cannot loop", () => {
    expect(refreshDelayMs(0)).toBe(defaultRefreshTiming.minDelayMs)
    expect(refreshDelayMs(2_000)).toBe(defaultRefreshTiming.minDelayMs)
  })

  it("stays within what a browser timer can hold", () => {
    expect(refreshDelayMs(365 * 24 * 3600_000)).toBe(2 ** 31 - 1)
  })

  it("follows the timing it is given", () => {
    expect(refreshDelayMs(100_000, { maxLeadMs: 10_000, leadShare: 0.5, minDelayMs: 0 })).toBe(90_000)
  })
})

describe("retryDelayMs", () => {
  it("backs off exponentially after failed refreshes, up to a minute", () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000])
  })
})
