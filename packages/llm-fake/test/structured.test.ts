import { describe, expect, it } from "vitest"
import { valueFor } from "../src/index.js"

describe("valueFor: a deterministic value valid against a JSON schema", () => {
  it("fills objects, arrays and scalars within their bounds", () => {
    expect(valueFor({
      type: "object",
      properties: {
        title: { type: "string", minLength: 12, maxLength: 20 },
        score: { type: "number", exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
        level: { type: "integer", minimum: 3 },
        done: { type: "boolean" },
        tags: { type: "array", items: { type: "string" }, minItems: 2 },
        when: { type: "string", format: "date-time" },
        note: { type: ["string", "null"] },
        kind: { const: "quiz" }
      }
    })).toEqual({
      title: "title title title",
      score: 0.25,
      level: 3,
      done: true,
      tags: ["tag 1", "tag 2"],
      when: "2024-01-01T00:00:00Z",
      note: "note",
      kind: "quiz"
    })
  })

  it("follows $ref, anyOf and allOf", () => {
    expect(valueFor({
      $defs: { Choice: { type: "object", properties: { label: { type: "string" } } } },
      type: "object",
      properties: {
        choice: { $ref: "#/$defs/Choice" },
        either: { anyOf: [{ type: "null" }, { type: "integer", maximum: -2 }] },
        both: { allOf: [{ properties: { a: { type: "integer" } } }, { properties: { b: { enum: ["x", "y"] } } }] }
      }
    })).toEqual({ choice: { label: "label" }, either: -2, both: { a: 1, b: "x" } })
  })
})
