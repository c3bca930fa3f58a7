import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Context, Effect, Layer } from "effect"
import { createServer, type Server } from "node:http"
import type { ServerConfigShape } from "../Config.js"

class NodeServer extends Context.Tag("Http/NodeServer")<NodeServer, Server>() {}

/**
 * Bounds graceful shutdown. Built after the listening server, so released before it: when
 * the app stops, the platform stops accepting and waits for in-flight requests; if some are
 * still running after the grace period, their connections are closed.
 */
const drainDeadline = (graceMs: number) =>
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const server = yield* NodeServer
      yield* Effect.addFinalizer(() =>
        Effect.gen(function*() {
          yield* Effect.logInfo("shutting down: draining in-flight requests").pipe(
            Effect.annotateLogs({ graceMs })
          )
          const timer = setTimeout(() => server.closeAllConnections(), graceMs)
          timer.unref()
          server.closeIdleConnections()
        })
      )
    })
  )

/** node:http behind the platform's HttpServer, with timeouts that keep slow clients from holding sockets. */
export const nodeServerLayer = (config: Pick<ServerConfigShape, "port" | "host" | "shutdownGraceMs">) => {
  const server = Layer.sync(NodeServer, () =>
    createServer({ keepAliveTimeout: 5_000, headersTimeout: 20_000, requestTimeout: 60_000 }))
  const http = Layer.unwrapEffect(
    Effect.map(NodeServer, (s) => NodeHttpServer.layer(() => s, { port: config.port, host: config.host }))
  )
  return Layer.merge(http, drainDeadline(config.shutdownGraceMs).pipe(Layer.provide(http))).pipe(
    Layer.provide(server)
  )
}

export type NodeServerServices = Layer.Layer.Success<ReturnType<typeof nodeServerLayer>>
export { HttpServer }
