import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import {
  CurrentRequestId,
  ErrorDetail,
  errorCatalog,
  errorCodes,
  NotFound,
  ValidationFailed,
  Wire,
  wireOf
} from "../src/index.js"

describe("error envelope", () => {
  it.effect("encodes to { error: { code, message, details, requestId } } with the current request id", () =>
    Effect.gen(function*() {
      const error = new ValidationFailed({
        message: "The request is invalid.",
        details: [new ErrorDetail({ path: "pillar", message: "unknown pillar" })]
      })
      const encoded = yield* Schema.encode(Wire.ValidationFailed)(error).pipe(Effect.locally(CurrentRequestId, "req-7"))
      expect(encoded).toEqual({
        error: {
          code: "validation_failed",
          message: "The request is invalid.",
          details: [{ path: "pillar", message: "unknown pillar" }],
          requestId: "req-7"
        }
      })
    }))

  it.effect("decodes back to the error class, keeping the request id for the client", () =>
    Effect.gen(function*() {
      const decoded = yield* Schema.decodeUnknown(Wire.NotFound)({
        error: { code: "not_found", message: "No such assessment.", requestId: "req-8" }
      })
      expect(decoded).toBeInstanceOf(NotFound)
      expect(decoded.requestId).toBe("req-8")
      expect(decoded.message).toBe("No such assessment.")
    }))

  it.effect("refuses an envelope whose code belongs to another error", () =>
    Effect.gen(function*() {
      const result = yield* Effect.either(
        Schema.decodeUnknown(Wire.NotFound)({ error: { code: "conflict", message: "x", requestId: "r" } })
      )
      expect(result._tag).toBe("Left")
    }))

  it("every error class has a wire schema, found by its tag", () => {
    for (const [tag, wire] of Object.entries(Wire)) {
      expect(wireOf({ _tag: tag })).toBe(wire)
    }
    expect(wireOf({ _tag: "SomethingElse" })).toBeUndefined()
  })

  it("the README's error table lists exactly the catalogue, with the same statuses", () => {
    const readme = readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8")
    const rows = [...readme.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)])
    expect(rows).toEqual(errorCodes.map((code) => [code, errorCatalog[code].status]))
  })
})
