import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Runtime } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { ServerConfigShape } from "../Config.js"
import { type Cors, makeCors } from "./Cors.js"
import { AccessLog } from "./AccessLog.js"
import { elapsedMs, jsonHeaderList, requestIdFrom } from "./Edge.js"
import { type FastRequest, type FastRoute, FastRoutes } from "./FastRoute.js"

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

interface CompiledPattern {
  readonly route: FastRoute
  /** Per segment: the literal to match, or null for a parameter. */
  readonly segments: ReadonlyArray<string | null>
  readonly names: ReadonlyArray<string>
}

const compilePattern = (route: FastRoute): CompiledPattern => {
  const parts = route.path.split("/").slice(1)
  return {
    route,
    segments: parts.map((part) => (part.startsWith(":") ? null : part)),
    names: parts.filter((part) => part.startsWith(":")).map((part) => part.slice(1))
  }
}

/**
 * A body both the edge (Edge.ts: JSON media types) and HttpApi read as JSON: HttpApi parses only
 * a Content-Type containing `application/json` and hands any other (`application/x+json`) to the
 * payload schema as bytes, which refuses it. Those go to the platform to be refused there.
 */
const isJson = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType) &&
  contentType.toLowerCase().includes("application/json")

/**
 * The pattern route for this request, with its parameters; undefined when none matches or when
 * the request is one the platform must see (a body the edge would refuse, a query string, a
 * malformed escape): the platform then answers as it always does.
 */
const matchPattern = (
  patterns: ReadonlyArray<CompiledPattern>,
  request: IncomingMessage,
  bodiless: boolean,
  bodyLimitBytes: number | undefined
): { readonly route: FastRoute; readonly params: Record<string, string> } | undefined => {
  const url = request.url ?? ""
  if (url.includes("?")) return undefined
  const parts = url.split("/").slice(1)
  for (const pattern of patterns) {
    const { route, segments } = pattern
    if (route.method !== request.method || segments.length !== parts.length) continue
    if (!segments.every((segment, i) => segment === null ? parts[i] !== "" : segment === parts[i])) continue
    if (route.body === true) {
      const length = Number(request.headers["content-length"] ?? Number.NaN)
      const acceptable = request.headers["transfer-encoding"] === undefined && Number.isInteger(length) && length > 0 &&
        length <= (bodyLimitBytes ?? 0) && isJson(request.headers["content-type"])
      if (!acceptable) return undefined
    } else if (!bodiless) {
      return undefined
    }
    try {
      const values = segments.flatMap((segment, i) => (segment === null ? [decodeURIComponent(parts[i]!)] : []))
      return { route, params: Object.fromEntries(pattern.names.map((name, i) => [name, values[i]!])) }
    } catch {
      return undefined
    }
  }
  return undefined
}

/** Adds each header to a flat name/value list (a handler's are never the edge's: see `FastResponse.headers`). */
const appendHeaders = (list: Array<string>, headers: Readonly<Record<string, string>> | undefined) => {
  if (headers === undefined) return
  for (const name in headers) list.push(name, headers[name]!)
}

/** A fast route's answer, with the same edge duties as the platform path (see Edge.ts). */
const serveFast = (
  route: FastRoute,
  request: IncomingMessage,
  response: ServerResponse,
  cors: Cors,
  accessLog: AccessLog["Type"],
  fastRequest: FastRequest = request
) => {
  const started = performance.now()
  const requestId = requestIdFrom(header(request, "x-request-id"))
  // One step after the handler: every extra combinator is measurable at this request rate.
  return Effect.map(route.respond(requestId, fastRequest), ({ body, headers, status }) => {
    const list = jsonHeaderList.slice()
    list.push("x-request-id", requestId, "content-type", "application/json", "content-length", String(Buffer.byteLength(body)))
    appendHeaders(list, cors.response(header(request, "origin")))
    appendHeaders(list, headers)
    response.writeHead(status, list)
    response.end(body)
    if (accessLog.enabled) {
      accessLog.record({
        requestId,
        method: route.method,
        // A pattern route's own path, as the platform path logs it.
        path: route.pattern === true ? request.url ?? route.path : route.path,
        status,
        durationMs: elapsedMs(started)
      })
    }
  })
}

/** What the server answers while it stops: the platform handler is already detached. */
const stopping: NodeHandler = (_, response) => {
  response.writeHead(503, { connection: "close", "retry-after": "1" }).end()
}

/**
 * node:http under the platform's `HttpServer`, with two additions:
 *
 * - Fast routes: a request for one of them (bodiless, exact path) runs its Effect directly on
 *   the app's runtime; every other request goes to the platform handler that
 *   `HttpServer.serve` builds (`NodeHttpServer.makeHandler`). Profiling showed the platform's
 *   request/response path and HttpApi's router cost ~80% of a small request, the fiber
 *   runtime itself very little (README, "Performance").
 * - Bounded graceful shutdown: stop accepting, let in-flight requests finish, and after
 *   `shutdownGraceMs` close whatever connections remain.
 */
export const nodeServerLayer = (
  config: Pick<ServerConfigShape, "port" | "host" | "shutdownGraceMs" | "corsOrigins"> & {
    /** Body routes take the fast path only for bodies the edge would accept (README, Performance). */
    readonly bodyLimitBytes?: number
  }
) =>
  Layer.scoped(
    HttpServer.HttpServer,
    Effect.gen(function*() {
      const routes = yield* FastRoutes
      const accessLog = yield* AccessLog
      const runFork = Runtime.runFork(yield* Effect.runtime<never>())
      const table = new Map(routes.filter((route) => route.pattern !== true).map((route) => [`${route.method} ${route.path}`, route]))
      const patterns = routes.filter((route) => route.pattern === true).map(compilePattern)
      const cors = makeCors(config.corsOrigins)
      let platform: NodeHandler = stopping
      // Answers not yet started when shutdown begins tell their client not to reuse the connection.
      const inFlight = new Set<ServerResponse>()

      const server = createServer({ keepAliveTimeout: 5_000, headersTimeout: 20_000, requestTimeout: 60_000 }, (
        request,
        response
      ) => {
        inFlight.add(response)
        response.once("close", () => inFlight.delete(response))
        const bodiless = request.headers["content-length"] === undefined &&
          request.headers["transfer-encoding"] === undefined
        const route = bodiless ? table.get(`${request.method} ${request.url}`) : undefined
        if (route !== undefined) {
          // Not interrupted when the client leaves: a fast route's work is a few microseconds.
          return runFork(serveFast(route, request, response, cors, accessLog))
        }
        const matched = patterns.length === 0 ? undefined : matchPattern(patterns, request, bodiless, config.bodyLimitBytes)
        if (matched === undefined) return platform(request, response)
        if (!matched.route.body) {
          return runFork(serveFast(matched.route, request, response, cors, accessLog, {
            headers: request.headers,
            params: matched.params,
            remoteAddress: request.socket.remoteAddress,
            socket: request.socket
          }))
        }
        const chunks: Array<Buffer> = []
        const remoteAddress = request.socket.remoteAddress
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.once("end", () =>
          runFork(serveFast(matched.route, request, response, cors, accessLog, {
            headers: request.headers,
            params: matched.params,
            body: Buffer.concat(chunks).toString("utf8"),
            remoteAddress,
            socket: request.socket
          })))
      })

      yield* Effect.async<void, Error>((resume) => {
        server.once("error", (error) => resume(Effect.fail(error)))
        server.listen({ port: config.port, host: config.host }, () => resume(Effect.void))
      }).pipe(Effect.orDie)

      yield* Effect.addFinalizer(() =>
        Effect.async<void>((resume) => {
          for (const response of inFlight) {
            if (!response.headersSent) response.shouldKeepAlive = false
          }
          const deadline = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs)
          deadline.unref()
          server.close(() => {
            clearTimeout(deadline)
            resume(Effect.void)
          })
          server.closeIdleConnections()
        }).pipe(
          Effect.zipLeft(Effect.logInfo("server stopped")),
          Effect.onInterrupt(() => Effect.sync(() => server.closeAllConnections()))
        )
      )

      const address = server.address()
      return HttpServer.make({
        address: typeof address === "object" && address !== null
          ? { _tag: "TcpAddress", hostname: address.address, port: address.port }
          : { _tag: "UnixAddress", path: String(address) },
        serve: (app, middleware) =>
          Effect.gen(function*() {
            platform = yield* NodeHttpServer.makeHandler(app, middleware!)
            yield* Effect.addFinalizer(() =>
              Effect.zipRight(
                Effect.logInfo("shutting down: draining in-flight requests").pipe(
                  Effect.annotateLogs({ graceMs: config.shutdownGraceMs })
                ),
                Effect.sync(() => {
                  platform = stopping
                })
              )
            )
          })
      })
    })
  ).pipe(Layer.provideMerge(NodeHttpServer.layerContext))

