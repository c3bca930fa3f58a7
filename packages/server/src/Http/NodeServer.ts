import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Runtime } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { ServerConfigShape } from "../Config.js"
import { type Cors, makeCors } from "./Cors.js"
import { AccessLog } from "./AccessLog.js"
import { elapsedMs, requestIdFrom, responseHeaders } from "./Edge.js"
import { type FastRoute, FastRoutes } from "./FastRoute.js"

type NodeHandler = (request: IncomingMessage, response: ServerResponse) => void

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** A fast route's answer, with the same edge duties as the platform path (see Edge.ts). */
const serveFast = (
  route: FastRoute,
  request: IncomingMessage,
  response: ServerResponse,
  cors: Cors,
  accessLog: AccessLog["Type"]
) => {
  const started = performance.now()
  const requestId = requestIdFrom(header(request, "x-request-id"))
  // One step after the handler: every extra combinator is measurable at this request rate.
  return Effect.map(route.respond(requestId), ({ body, status }) => {
    response.writeHead(status, {
      ...responseHeaders("application/json", undefined, cors.response(header(request, "origin")), requestId),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body)
    })
    response.end(body)
    if (accessLog.enabled) {
      accessLog.record({ requestId, method: route.method, path: route.path, status, durationMs: elapsedMs(started) })
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
  config: Pick<ServerConfigShape, "port" | "host" | "shutdownGraceMs" | "corsOrigins">
) =>
  Layer.scoped(
    HttpServer.HttpServer,
    Effect.gen(function*() {
      const routes = yield* FastRoutes
      const accessLog = yield* AccessLog
      const runFork = Runtime.runFork(yield* Effect.runtime<never>())
      const table = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]))
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
        const route = request.headers["content-length"] === undefined &&
            request.headers["transfer-encoding"] === undefined
          ? table.get(`${request.method} ${request.url}`)
          : undefined
        if (route === undefined) return platform(request, response)
        // Not interrupted when the client leaves: a fast route's work is a few microseconds.
        runFork(serveFast(route, request, response, cors, accessLog))
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

