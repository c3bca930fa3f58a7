import { NotFound, RateLimited } from "@compilar/domain"
import { HttpClientError, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "vitest"
import { normaliseBaseUrl } from "../../src/lib/config.js"
import { describeError } from "../../src/lib/errors.js"

describe("describeError", () => {
  it("uses a domain error's own message and request id", () => {
    const view = describeError(new NotFound({ message: "No such assessment", requestId: "req-1" }))
    expect(view).toEqual({ title: "Not found", message: "No such assessment", retryable: false, requestId: "req-1" })
  })

  it("marks rate limiting as retryable", () => {
    expect(describeError(new RateLimited({ message: "Slow down" })).retryable).toBe(true)
  })

  it("explains a transport failure without technical words", () => {
    const error = new HttpClientError.RequestError({
      request: HttpClientRequest.get("/health"),
      reason: "Transport",
      cause: new TypeError("Failed to fetch")
    })
    const view = describeError(error)
    expect(view.title).toBe("Can't reach Compilar")
    expect(view.retryable).toBe(true)
  })

  it("falls back for anything else", () => {
    expect(describeError(new Error("boom")).message).toBe("boom")
    expect(describeError("??").title).toBe("Something went wrong")
  })
})

describe("normaliseBaseUrl", () => {
  it("defaults to same origin and trims trailing slashes", () => {
    expect(normaliseBaseUrl(undefined)).toBe("")
    expect(normaliseBaseUrl("  ")).toBe("")
    expect(normaliseBaseUrl("https://api.example.com/")).toBe("https://api.example.com")
    expect(normaliseBaseUrl("https://api.example.com/v1//")).toBe("https://api.example.com/v1")
  })
})
