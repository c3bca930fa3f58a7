/**
 * Scripted faults: what can go wrong with a request, which requests it applies to,
 * and the plan a handler follows once the faults of a request are known.
 */

export type Provider = "openai" | "anthropic"
export type Endpoint = "chat" | "messages" | "embeddings" | "models"

/** Named provider errors, answered with each provider's real status, headers and body. */
export type ErrorName =
  | "unauthorized" // 401 bad key
  | "rate_limited" // 429 with retry-after
  | "insufficient_quota" // OpenAI 429 insufficient_quota (Anthropic: 429 rate_limit_error)
  | "overloaded" // Anthropic 529 overloaded_error (OpenAI: 503)
  | "server_error" // 500
  | "unavailable" // 503
  | "bad_request" // 400
  | "context_length_exceeded" // 400, the provider's "prompt too long" body

export const errorNames: ReadonlyArray<ErrorName> = [
  "unauthorized",
  "rate_limited",
  "insufficient_quota",
  "overloaded",
  "server_error",
  "unavailable",
  "bad_request",
  "context_length_exceeded"
]

export type Fault =
  /** A provider error with its real body; `retryAfterSeconds` sets `retry-after` (and `retry-after-ms`). */
  | {
    readonly kind: "error"
    readonly error: ErrorName
    readonly retryAfterSeconds?: number
    readonly headers?: Readonly<Record<string, string>>
  }
  /** Any status with any body (a string is sent as is, anything else as JSON; default: the provider's body for that status). */
  | {
    readonly kind: "status"
    readonly status: number
    readonly body?: unknown
    readonly headers?: Readonly<Record<string, string>>
  }
  /** Wait before sending the response headers. */
  | { readonly kind: "delayHeaders"; readonly ms: number }
  /** Streaming: headers and the opening event go out at once, then wait before the first token. */
  | { readonly kind: "delayFirstToken"; readonly ms: number }
  /** Streaming: stop sending after N tokens and hold the connection open. Non-streaming: never answer. */
  | { readonly kind: "stall"; readonly afterChunks: number }
  /** Destroy the socket (TCP reset): before the headers, or after N tokens of a stream. */
  | { readonly kind: "reset"; readonly afterChunks?: number }
  /** Streaming: after N tokens send an event whose data is not JSON, then end. */
  | { readonly kind: "malformed"; readonly afterChunks: number }
  /** Streaming: after N tokens send the provider's in-band error event, then end. */
  | { readonly kind: "inBandError"; readonly afterChunks: number; readonly error?: ErrorName }
  /** Streaming: end the response cleanly after N tokens, without the terminator. */
  | { readonly kind: "truncate"; readonly afterChunks: number }
  /** Answer with this text instead of the default (structured requests still get their value). */
  | { readonly kind: "text"; readonly text: string }

export interface FaultMatch {
  readonly provider?: Provider
  readonly endpoint?: Endpoint
  readonly model?: string
  readonly stream?: boolean
}

export interface FaultRule {
  /** Which requests it applies to (all when absent). */
  readonly match?: FaultMatch
  readonly faults: ReadonlyArray<Fault>
  /** How many matching requests it applies to; default 1, or unlimited when `rate` is set. */
  readonly times?: number
  /** Probability (0..1) that a matching request gets it; drawn from the server's seeded generator. */
  readonly rate?: number
}

export interface ActiveRule extends FaultRule {
  readonly id: string
  /** Requests it still applies to (Infinity: unlimited). */
  readonly remaining: number
}

export interface RequestInfo {
  readonly provider: Provider
  readonly endpoint: Endpoint
  readonly model: string | undefined
  readonly stream: boolean
}

/** What a handler does with one request, resolved from its faults. */
export interface Plan {
  readonly delayHeadersMs: number
  readonly delayFirstTokenMs: number
  readonly http: { readonly status: number; readonly body: unknown; readonly headers: Readonly<Record<string, string>>; readonly error: ErrorName | undefined } | undefined
  readonly resetBeforeHeaders: boolean
  /** Streaming interruptions, by the number of tokens sent before they happen. */
  readonly interrupt:
    | { readonly kind: "stall" | "reset" | "malformed" | "truncate"; readonly afterChunks: number }
    | { readonly kind: "inBandError"; readonly afterChunks: number; readonly error: ErrorName }
    | undefined
  readonly text: string | undefined
}

export const planOf = (faults: ReadonlyArray<Fault>): Plan => {
  let delayHeadersMs = 0
  let delayFirstTokenMs = 0
  let http: Plan["http"] = undefined
  let resetBeforeHeaders = false
  let interrupt: Plan["interrupt"] = undefined
  let text: string | undefined = undefined
  for (const fault of faults) {
    switch (fault.kind) {
      case "error":
        http = {
          status: 0,
          body: undefined,
          error: fault.error,
          headers: {
            ...(fault.retryAfterSeconds === undefined
              ? {}
              : {
                "retry-after": String(Math.ceil(fault.retryAfterSeconds)),
                "retry-after-ms": String(Math.round(fault.retryAfterSeconds * 1000))
              }),
            ...fault.headers
          }
        }
        break
      case "status":
        http = { status: fault.status, body: fault.body, headers: fault.headers ?? {}, error: undefined }
        break
      case "delayHeaders":
        delayHeadersMs += fault.ms
        break
      case "delayFirstToken":
        delayFirstTokenMs += fault.ms
        break
      case "reset":
        if (fault.afterChunks === undefined) resetBeforeHeaders = true
        else interrupt = { kind: "reset", afterChunks: fault.afterChunks }
        break
      case "stall":
      case "malformed":
      case "truncate":
        interrupt = { kind: fault.kind, afterChunks: fault.afterChunks }
        break
      case "inBandError":
        interrupt = { kind: "inBandError", afterChunks: fault.afterChunks, error: fault.error ?? "overloaded" }
        break
      case "text":
        text = fault.text
        break
    }
  }
  return { delayHeadersMs, delayFirstTokenMs, http, resetBeforeHeaders, interrupt, text }
}

/** A small seeded generator (mulberry32), so rate-based faults are reproducible. */
export const seededRandom = (seed: number): () => number => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const matches = (match: FaultMatch | undefined, info: RequestInfo): boolean =>
  match === undefined ||
  ((match.provider === undefined || match.provider === info.provider) &&
    (match.endpoint === undefined || match.endpoint === info.endpoint) &&
    (match.model === undefined || match.model === info.model) &&
    (match.stream === undefined || match.stream === info.stream))

/** The rules scripted at runtime, consumed in order as requests arrive. */
export class FaultScript {
  #rules: Array<ActiveRule> = []
  #next = 1
  #random: () => number

  constructor(seed = 1) {
    this.#random = seededRandom(seed)
  }

  /** Adds a rule; returns its id. */
  add(rule: FaultRule): string {
    const id = `fault_${this.#next++}`
    const remaining = rule.times ?? (rule.rate === undefined ? 1 : Number.POSITIVE_INFINITY)
    this.#rules.push({ ...rule, id, remaining })
    return id
  }

  /** Shorthand: the next `times` (default 1) matching requests get these faults. */
  next(faults: Fault | ReadonlyArray<Fault>, options: { readonly match?: FaultMatch; readonly times?: number } = {}): string {
    return this.add({ faults: Array.isArray(faults) ? faults : [faults as Fault], ...options })
  }

  remove(id: string): boolean {
    const before = this.#rules.length
    this.#rules = this.#rules.filter((rule) => rule.id !== id)
    return this.#rules.length !== before
  }

  clear(): void {
    this.#rules = []
  }

  reseed(seed: number): void {
    this.#random = seededRandom(seed)
  }

  get rules(): ReadonlyArray<ActiveRule> {
    return this.#rules.map((rule) => ({ ...rule }))
  }

  /** The faults for one request: the first matching rule that fires (by rate), consumed once. */
  take(info: RequestInfo): { readonly ruleId: string; readonly faults: ReadonlyArray<Fault> } | undefined {
    for (const [index, rule] of this.#rules.entries()) {
      if (!matches(rule.match, info)) continue
      if (rule.rate !== undefined && this.#random() >= rule.rate) continue
      const remaining = rule.remaining - 1
      if (remaining <= 0) this.#rules.splice(index, 1)
      else this.#rules[index] = { ...rule, remaining }
      return { ruleId: rule.id, faults: rule.faults }
    }
    return undefined
  }
}
