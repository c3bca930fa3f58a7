import { InternalError, RateLimited, RefreshReused, TokenExpired, Unauthorized } from "@compilar/domain"
import { HttpClientError, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "vitest"
import { refreshFailure, shouldRenew } from "../../src/lib/session/policy.js"

const offline = new HttpClientError.RequestError({
  request: HttpClientRequest.post("/api/v1/auth/refresh"),
  reason: "Transport",
  cause: new TypeError("Failed to fetch")
})

describe("shouldRenew", () => {
  it("renews after an expired access token", () => {
    expect(shouldRenew(new TokenExpired({ message: "expired" }), "token")).toBe(true)
  })

  it("renews after a refused token only when one was sent", () => {
    expect(shouldRenew(new Unauthorized({ message: "no" }), "token")).toBe(true)
    expect(shouldRenew(new Unauthorized({ message: "no" }), undefined)).toBe(false)
  })

  it("leaves every other failure alone", () => {
    for (const error of [new RateLimited({ message: "slow" }), new InternalError({ message: "x" }), offline, "?"]) {
      expect(shouldRenew(error, "token")).toBe(false)
    }
  })
})

describe("refreshFailure", () => {
  it("tells reuse (revoked everywhere) from an ended session and from a passing failure", () => {
    expect(refreshFailure(new RefreshReused({ message: "reused" }))).toBe("reused")
    expect(refreshFailure(new Unauthorized({ message: "ended" }))).toBe("ended")
    expect(refreshFailure(new RateLimited({ message: "slow" }))).toBe("unavailable")
    expect(refreshFailure(new InternalError({ message: "x" }))).toBe("unavailable")
    expect(refreshFailure(offline)).toBe("unavailable")
  })
})
