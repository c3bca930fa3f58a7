/**
 * A deterministic value valid against a JSON schema: what the fake answers when a request
 * asks for structured output. Covers the subset providers accept for structured outputs:
 * type (or a list of types), enum, const, properties/required, items, min/max items and
 * lengths, numeric bounds, multipleOf, anyOf/oneOf (the first branch), allOf (merged),
 * $ref into #/$defs or #/definitions, and common string formats.
 */
import { isRecord, type Json } from "./parse.js"

type Schema = Readonly<Record<string, unknown>>

const formats: Readonly<Record<string, string>> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00Z",
  email: "learner@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  hostname: "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  duration: "PT1M"
}

const numberOr = (u: unknown, fallback: number): number => (typeof u === "number" ? u : fallback)

const resolveRef = (root: Schema, ref: string): Schema => {
  if (!ref.startsWith("#")) return {}
  let node: unknown = root
  for (const part of ref.slice(1).split("/").filter((p) => p !== "")) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~")
    node = isRecord(node) ? node[key] : undefined
  }
  return isRecord(node) ? node : {}
}

const merge = (schemas: ReadonlyArray<Schema>): Schema => {
  const properties: Record<string, unknown> = {}
  const required: Array<unknown> = []
  let out: Record<string, unknown> = {}
  for (const s of schemas) {
    out = { ...out, ...s }
    if (isRecord(s["properties"])) Object.assign(properties, s["properties"])
    if (Array.isArray(s["required"])) required.push(...(s["required"] as ReadonlyArray<unknown>))
  }
  delete out["allOf"]
  return Object.keys(properties).length === 0 ? out : { ...out, properties, required }
}

const stringValue = (schema: Schema, name: string): string => {
  const format = typeof schema["format"] === "string" ? formats[schema["format"]] : undefined
  const min = numberOr(schema["minLength"], 0)
  const max = numberOr(schema["maxLength"], Number.POSITIVE_INFINITY)
  let value = format ?? name
  while (value.length < min) value += ` ${name}`
  if (value.length < min) value = value.padEnd(min, "x")
  return value.slice(0, Math.max(max, min))
}

const numberValue = (schema: Schema, integer: boolean): number => {
  const minimum = typeof schema["minimum"] === "number" ? schema["minimum"] : undefined
  const exclusiveMinimum = typeof schema["exclusiveMinimum"] === "number" ? schema["exclusiveMinimum"] : undefined
  const maximum = typeof schema["maximum"] === "number" ? schema["maximum"] : undefined
  const exclusiveMaximum = typeof schema["exclusiveMaximum"] === "number" ? schema["exclusiveMaximum"] : undefined
  const step = typeof schema["multipleOf"] === "number" && schema["multipleOf"] > 0 ? schema["multipleOf"] : integer ? 1 : undefined
  let low = minimum ?? (exclusiveMinimum === undefined ? undefined : exclusiveMinimum + (step ?? 1e-6))
  const high = maximum ?? (exclusiveMaximum === undefined ? undefined : exclusiveMaximum - (step ?? 1e-6))
  low ??= high === undefined ? 1 : Math.min(1, high)
  let value = low
  if (step !== undefined) {
    value = Math.ceil(low / step) * step
    if (exclusiveMinimum !== undefined && value <= exclusiveMinimum) value += step
  }
  return integer ? Math.round(value) : value
}

const generate = (root: Schema, schema: Schema, name: string, depth: number): Json => {
  if (depth > 32) return null
  if (typeof schema["$ref"] === "string") return generate(root, { ...resolveRef(root, schema["$ref"]), $ref: undefined }, name, depth + 1)
  if ("const" in schema) return schema["const"] as Json
  if (Array.isArray(schema["enum"]) && schema["enum"].length > 0) return schema["enum"][0] as Json
  const branches = schema["anyOf"] ?? schema["oneOf"]
  if (Array.isArray(branches) && branches.length > 0) {
    const first = (branches as ReadonlyArray<unknown>).find((b) => isRecord(b) && b["type"] !== "null") ?? branches[0]
    return generate(root, isRecord(first) ? first : {}, name, depth + 1)
  }
  if (Array.isArray(schema["allOf"])) {
    const parts = (schema["allOf"] as ReadonlyArray<unknown>).filter(isRecord)
    return generate(root, merge([schema, ...parts]), name, depth + 1)
  }
  const declared = schema["type"]
  const type = Array.isArray(declared)
    ? ((declared as ReadonlyArray<unknown>).find((t) => t !== "null") ?? "null")
    : declared ?? (isRecord(schema["properties"]) ? "object" : schema["items"] === undefined ? "string" : "array")
  switch (type) {
    case "object": {
      const properties = isRecord(schema["properties"]) ? schema["properties"] : {}
      const out: Record<string, Json> = {}
      for (const [key, sub] of Object.entries(properties)) {
        out[key] = generate(root, isRecord(sub) ? sub : {}, key, depth + 1)
      }
      return out
    }
    case "array": {
      const items = isRecord(schema["items"]) ? schema["items"] : {}
      const min = numberOr(schema["minItems"], 1)
      const max = numberOr(schema["maxItems"], Number.POSITIVE_INFINITY)
      const count = Math.min(Math.max(min, 1), max)
      const singular = name.endsWith("s") ? name.slice(0, -1) : name
      return Array.from({ length: count }, (_, i) => generate(root, items, `${singular} ${i + 1}`, depth + 1))
    }
    case "integer":
      return numberValue(schema, true)
    case "number":
      return numberValue(schema, false)
    case "boolean":
      return true
    case "null":
      return null
    default:
      return stringValue(schema, name)
  }
}

/** A deterministic value valid against `schema` (the same schema always gives the same value). */
export const valueFor = (schema: unknown, name = "value"): Json => {
  const root = isRecord(schema) ? schema : {}
  return generate(root, root, name, 0)
}
