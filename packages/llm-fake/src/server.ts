/** The fake's HTTP server: routing, authentication, faults, journal and the admin API. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as Anthropic from "./anthropic.js"
import { defaultReply, idFrom } from "./content.js"
import { type Exchange, runJson, runStream, sendError, sendJson, type Settings } from "./engine.js"

import { type Endpoint, type Fault, FaultScript, planOf, type Provider } from "./faults.js"
import { Journal, type JournalFilter, type Outcome } from "./journal.js"
import * as OpenAi from "./openai.js"
import { InvalidInput, isRecord, parseFaults, parseJson, parseRule } from "./parse.js"

export interface StartOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number
  /** A loopback address: 127.0.0.1 (default), ::1 or localhost. */
  readonly host?: string
  readonly latencyMs?: number
  readonly tokensPerSecond?: number
  readonly reply?: string
  /** Accepted API keys; default any non-empty key. */
  readonly apiKeys?: ReadonlyArray<string>
  /** Seed of the generator behind rate-based faults (default 1). */
  readonly seed?: number
}

export interface LlmFake {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** For the OpenAI SDK's `baseURL`: `<url>/v1`. */
  readonly openaiBaseUrl: string
  /** For the Anthropic SDK's `baseURL`: `<url>`. */
  readonly anthropicBaseUrl: string
  readonly journal: Journal
  readonly script: FaultScript
  settings(): Settings
  configure(patch: Partial<Settings>): void
  /** Clears the journal and the faults and restores the starting settings and seed. */
  reset(): void
  /** Stops listening and cuts every open connection (stalled streams included). */
  close(): Promise<void>
}

/** Per-request faults as JSON (one fault or an array), added to any scripted ones. */
export const faultHeader = "x-llm-fake-fault"

const loopback = new Set(["127.0.0.1", "::1", "localhost"])

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

const redactedHeaders = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(", ") : value
    out[key] = key === "authorization" || key === "x-api-key"
      ? text.length > 12 ? `${text.slice(0, 10)}…${text.slice(-2)}` : "…"
      : text
  }
  return out
}

const apiKeyOf = (req: IncomingMessage, provider: Provider): string | undefined => {
  const bearer = header(req, "authorization")?.replace(/^Bearer\s+/i, "")
  return provider === "anthropic" ? header(req, "x-api-key") ?? bearer : bearer
}

interface Route {
  readonly provider: Provider
  readonly endpoint: Endpoint
}

const routeOf = (req: IncomingMessage, path: string): Route | undefined => {
  if (req.method === "POST" && path === "/v1/chat/completions") return { provider: "openai", endpoint: "chat" }
  if (req.method === "POST" && path === "/v1/embeddings") return { provider: "openai", endpoint: "embeddings" }
  if (req.method === "POST" && path === "/v1/messages") return { provider: "anthropic", endpoint: "messages" }
  if (req.method === "GET" && path === "/v1/models") {
    return { provider: header(req, "anthropic-version") === undefined ? "openai" : "anthropic", endpoint: "models" }
  }
  return undefined
}

export const start = async (options: StartOptions = {}): Promise<LlmFake> => {
  const host = options.host ?? "127.0.0.1"
  if (!loopback.has(host)) throw new Error(`llm-fake listens on loopback addresses only, not ${host}`)
  const initial: Settings = {
    latencyMs: options.latencyMs ?? 0,
    tokensPerSecond: options.tokensPerSecond ?? 0,
    reply: options.reply ?? defaultReply,
    apiKeys: options.apiKeys
  }
  const seed = options.seed ?? 1
  let settings = initial
  const journal = new Journal()
  const script = new FaultScript(seed)
  const closing = new AbortController()
  let seq = 0

  const handleProvider = async (req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> => {
    const startedAt = Date.now()
    const raw = req.method === "POST" ? await readBody(req) : ""
    const n = ++seq
    const requestId = route.provider === "openai" ? `req_${idFrom(`rid-${n}`, 32)}` : `req_${idFrom(`rid-${n}`)}`
    let body: Readonly<Record<string, unknown>> = {}
    let bodyError: string | undefined
    if (raw !== "") {
      try {
        const parsed = parseJson(raw)
        if (isRecord(parsed)) body = parsed
        else bodyError = "the request body must be a JSON object"
      } catch (e) {
        bodyError = e instanceof Error ? e.message : String(e)
      }
    }
    const model = typeof body["model"] === "string" ? body["model"] : undefined
    const stream = body["stream"] === true
    const taken = script.take({ provider: route.provider, endpoint: route.endpoint, model, stream })
    let headerFaults: ReadonlyArray<Fault> = []
    const faultText = header(req, faultHeader)
    if (faultText !== undefined) {
      try {
        headerFaults = parseFaults(parseJson(faultText), faultHeader)
      } catch (e) {
        bodyError = e instanceof Error ? e.message : String(e)
      }
    }
    const faults = [...(taken?.faults ?? []), ...headerFaults]
    const entry = journal.record({
      method: req.method ?? "GET",
      path: req.url ?? "/",
      provider: route.provider,
      endpoint: route.endpoint,
      headers: redactedHeaders(req),
      body: raw === "" ? undefined : isRecord(body) && bodyError === undefined ? body : raw,
      model,
      stream,
      faults,
      ruleId: taken?.ruleId
    })
    const requestAbort = new AbortController()
    const onClosing = () => requestAbort.abort()
    closing.signal.addEventListener("abort", onClosing, { once: true })
    res.on("close", () => {
      closing.signal.removeEventListener("abort", onClosing)
      requestAbort.abort()
    })
    let plan = planOf(faults)
    const key = apiKeyOf(req, route.provider)
    const keyOk = key !== undefined && key !== "" && (settings.apiKeys === undefined || settings.apiKeys.includes(key))
    if (!keyOk && plan.http === undefined) plan = { ...plan, http: { status: 401, body: undefined, headers: {}, error: "unauthorized" } }
    const ex: Exchange = {
      req,
      res,
      provider: route.provider,
      requestId,
      model,
      plan,
      settings,
      journal,
      entry,
      signal: requestAbort.signal,
      startedAt
    }
    const invalid = (message: string) =>
      sendError(ex, route.provider === "openai"
        ? { status: 400, headers: {}, body: { error: { message, type: "invalid_request_error", param: null, code: null } } }
        : { status: 400, headers: {}, body: { type: "error", error: { type: "invalid_request_error", message }, request_id: requestId } })
    if (bodyError !== undefined) return invalid(bodyError)
    const reply = plan.text ?? settings.reply
    switch (route.endpoint) {
      case "chat": {
        const answer = OpenAi.chatAnswer(body, reply, n)
        if (OpenAi.isErrorResponse(answer)) return sendError(ex, answer)
        return answer.stream
          ? runStream(ex, OpenAi.chatStream(answer))
          : runJson(ex, OpenAi.chatCompletion(answer), answer.pieces.length)
      }
      case "embeddings": {
        const result = OpenAi.embeddings(body)
        if (OpenAi.isErrorResponse(result)) return sendError(ex, result)
        return runJson(ex, result.body, 0)
      }
      case "messages": {
        const answer = Anthropic.messageAnswer(body, reply, n, requestId)
        if (OpenAi.isErrorResponse(answer)) return sendError(ex, answer)
        return stream
          ? runStream(ex, Anthropic.messageStream(answer))
          : runJson(ex, Anthropic.message(answer), answer.pieces.length)
      }
      case "models":
        return runJson(ex, route.provider === "openai" ? OpenAi.modelList() : Anthropic.modelList(), 0)
    }
  }

  const handleAdmin = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const reply = (status: number, body?: unknown) => {
      if (body === undefined) {
        res.writeHead(status)
        res.end()
      } else sendJson({ res, provider: "openai", requestId: "" }, status, body)
    }
    const path = url.pathname.slice("/__admin".length)
    const raw = await readBody(req)
    const input = (): unknown => (raw === "" ? {} : parseJson(raw))
    try {
      if (path === "/journal" && req.method === "GET") {
        const filter: { -readonly [K in keyof JournalFilter]: JournalFilter[K] } = {}
        const provider = url.searchParams.get("provider")
        if (provider === "openai" || provider === "anthropic") filter.provider = provider
        const endpoint = url.searchParams.get("endpoint")
        if (endpoint === "chat" || endpoint === "messages" || endpoint === "embeddings" || endpoint === "models") filter.endpoint = endpoint
        const outcome = url.searchParams.get("outcome")
        if (outcome !== null) filter.outcome = outcome as Outcome
        return reply(200, { entries: journal.entries(filter) })
      }
      if (path === "/journal" && req.method === "DELETE") {
        journal.clear()
        return reply(204)
      }
      if (path === "/faults" && req.method === "GET") return reply(200, { rules: script.rules.map((r) => ({ ...r, remaining: Number.isFinite(r.remaining) ? r.remaining : null })) })
      if (path === "/faults" && req.method === "POST") {
        const body = input()
        const rules = Array.isArray(body) ? body.map(parseRule) : [parseRule(body)]
        return reply(201, { ids: rules.map((rule) => script.add(rule)) })
      }
      if (path === "/faults" && req.method === "DELETE") {
        script.clear()
        return reply(204)
      }
      const one = /^\/faults\/([\w-]+)$/.exec(path)
      if (one?.[1] !== undefined && req.method === "DELETE") return reply(script.remove(one[1]) ? 204 : 404)
      if (path === "/config" && req.method === "GET") return reply(200, settings)
      if (path === "/config" && (req.method === "PATCH" || req.method === "PUT")) {
        fake.configure(parseSettings(input()))
        return reply(200, settings)
      }
      if (path === "/reset" && req.method === "POST") {
        fake.reset()
        return reply(204)
      }
      return reply(404, { error: { message: `no admin route ${req.method} ${url.pathname}` } })
    } catch (e) {
      if (e instanceof InvalidInput) return reply(400, { error: { message: e.message } })
      throw e
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://llm-fake")
    const handled = url.pathname.startsWith("/__admin/")
      ? handleAdmin(req, res, url)
      : (() => {
        const route = routeOf(req, url.pathname)
        if (route !== undefined) return handleProvider(req, res, route)
        const anthropic = header(req, "anthropic-version") !== undefined
        sendJson({ res, provider: "openai", requestId: "" }, 404, anthropic
          ? { type: "error", error: { type: "not_found_error", message: `${req.method} ${url.pathname} not found` } }
          : { error: { message: `Invalid URL (${req.method} ${url.pathname})`, type: "invalid_request_error", param: null, code: null } })
        return Promise.resolve()
      })()
    handled.catch((e: unknown) => {
      if (!res.headersSent) {
        sendJson({ res, provider: "openai", requestId: "" }, 500, { error: { message: `llm-fake: ${String(e)}` } })
      } else res.destroy()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`

  const fake: LlmFake = {
    url,
    port,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    journal,
    script,
    settings: () => settings,
    configure: (patch) => {
      settings = { ...settings, ...patch }
    },
    reset: () => {
      journal.clear()
      script.clear()
      script.reseed(seed)
      settings = initial
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
  return fake
}

const parseSettings = (u: unknown): Partial<Settings> => {
  if (!isRecord(u)) throw new InvalidInput("config must be an object")
  const out: { -readonly [K in keyof Settings]?: Settings[K] } = {}
  for (const key of ["latencyMs", "tokensPerSecond"] as const) {
    const v = u[key]
    if (v === undefined) continue
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new InvalidInput(`config.${key} must be a non-negative number`)
    out[key] = v
  }
  if (u["reply"] !== undefined) {
    if (typeof u["reply"] !== "string") throw new InvalidInput("config.reply must be a string")
    out.reply = u["reply"]
  }
  if (u["apiKeys"] !== undefined) {
    const keys = u["apiKeys"]
    if (keys !== null && !(Array.isArray(keys) && keys.every((k) => typeof k === "string"))) {
      throw new InvalidInput("config.apiKeys must be an array of strings or null")
    }
    out.apiKeys = keys === null ? undefined : (keys as ReadonlyArray<string>)
  }
  return out
}


