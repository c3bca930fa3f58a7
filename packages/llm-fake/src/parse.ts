/** Runtime checks for what arrives over the admin API and the per-request fault header. */
import { type ErrorName, errorNames, type Fault, type FaultMatch, type FaultRule } from "./faults.js"

export class InvalidInput extends Error {}

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

export const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const fail = (message: string): never => {
  throw new InvalidInput(message)
}

const num = (o: Readonly<Record<string, unknown>>, key: string, where: string): number => {
  const v = o[key]
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : fail(`${where}.${key} must be a non-negative number`)
}

const optNum = (o: Readonly<Record<string, unknown>>, key: string, where: string): number | undefined =>
  o[key] === undefined ? undefined : num(o, key, where)

const headersOf = (u: unknown, where: string): Readonly<Record<string, string>> | undefined => {
  if (u === undefined) return undefined
  if (!isRecord(u)) return fail(`${where}.headers must be an object of strings`)
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(u)) {
    if (typeof v !== "string") return fail(`${where}.headers.${k} must be a string`)
    out[k.toLowerCase()] = v
  }
  return out
}

const errorNameOf = (u: unknown, where: string): ErrorName => {
  const found = errorNames.find((name) => name === u)
  return found ?? fail(`${where}.error must be one of ${errorNames.join(", ")}`)
}

export const parseFault = (u: unknown, where = "fault"): Fault => {
  if (!isRecord(u)) return fail(`${where} must be an object`)
  const kind = u["kind"]
  switch (kind) {
    case "error": {
      const retryAfterSeconds = optNum(u, "retryAfterSeconds", where)
      const headers = headersOf(u["headers"], where)
      return {
        kind,
        error: errorNameOf(u["error"], where),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        ...(headers === undefined ? {} : { headers })
      }
    }
    case "status": {
      const status = num(u, "status", where)
      if (!Number.isInteger(status) || status < 200 || status > 599) return fail(`${where}.status must be an HTTP status`)
      const headers = headersOf(u["headers"], where)
      return {
        kind,
        status,
        ...(u["body"] === undefined ? {} : { body: u["body"] }),
        ...(headers === undefined ? {} : { headers })
      }
    }
    case "delayHeaders":
    case "delayFirstToken":
      return { kind, ms: num(u, "ms", where) }
    case "stall":
    case "malformed":
    case "truncate":
      return { kind, afterChunks: num(u, "afterChunks", where) }
    case "reset": {
      const afterChunks = optNum(u, "afterChunks", where)
      return afterChunks === undefined ? { kind } : { kind, afterChunks }
    }
    case "inBandError": {
      const afterChunks = num(u, "afterChunks", where)
      return u["error"] === undefined
        ? { kind, afterChunks }
        : { kind, afterChunks, error: errorNameOf(u["error"], where) }
    }
    case "text":
      return typeof u["text"] === "string" ? { kind, text: u["text"] } : fail(`${where}.text must be a string`)
    default:
      return fail(`${where}.kind is not a known fault kind`)
  }
}

export const parseFaults = (u: unknown, where = "faults"): ReadonlyArray<Fault> =>
  Array.isArray(u) ? u.map((f: unknown, i) => parseFault(f, `${where}[${i}]`)) : [parseFault(u, where)]

const parseMatch = (u: unknown): FaultMatch | undefined => {
  if (u === undefined) return undefined
  if (!isRecord(u)) return fail("match must be an object")
  const out: { -readonly [K in keyof FaultMatch]: FaultMatch[K] } = {}
  const provider = u["provider"]
  if (provider !== undefined) {
    if (provider !== "openai" && provider !== "anthropic") return fail("match.provider must be openai or anthropic")
    out.provider = provider
  }
  const endpoint = u["endpoint"]
  if (endpoint !== undefined) {
    if (endpoint !== "chat" && endpoint !== "messages" && endpoint !== "embeddings" && endpoint !== "models") {
      return fail("match.endpoint must be chat, messages, embeddings or models")
    }
    out.endpoint = endpoint
  }
  const model = u["model"]
  if (model !== undefined) out.model = typeof model === "string" ? model : fail("match.model must be a string")
  const stream = u["stream"]
  if (stream !== undefined) out.stream = typeof stream === "boolean" ? stream : fail("match.stream must be a boolean")
  return out
}

export const parseRule = (u: unknown): FaultRule => {
  if (!isRecord(u)) return fail("a rule must be an object")
  const match = parseMatch(u["match"])
  const times = optNum(u, "times", "rule")
  const rate = optNum(u, "rate", "rule")
  if (rate !== undefined && rate > 1) return fail("rule.rate must be between 0 and 1")
  // `fault` (one) is accepted as well as `faults` (one or several).
  const faults = parseFaults(u["faults"] ?? u["fault"])
  return {
    faults,
    ...(match === undefined ? {} : { match }),
    ...(times === undefined ? {} : { times }),
    ...(rate === undefined ? {} : { rate })
  }
}

export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return fail("the body is not valid JSON")
  }
}
