import { Api } from "@compilar/domain"
import type { HttpApi } from "@effect/platform"
import { HttpApiBuilder, HttpMiddleware, HttpServer } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { Accounts } from "./Auth.js"
import { AuthHttpLive } from "./Auth/Http.js"
import { AuthenticationLive } from "./Auth/Middleware.js"
import { SignInRateLimitLive } from "./Auth/RateLimit.js"
import { ServerConfig } from "./Config.js"
import { Health } from "./Health.js"
import { FastRoutesLive, HealthHttpLive } from "./Health/Http.js"
import { AccessLog } from "./Http/AccessLog.js"
import { DocsLive } from "./Http/Docs.js"
import { edge } from "./Http/Edge.js"
import type { FastRoutes } from "./Http/FastRoute.js"
import { FrameworkErrorsLive } from "./Http/FrameworkErrors.js"
import { nodeServerLayer } from "./Http/NodeServer.js"
import { StaticFilesLive } from "./Http/StaticFiles.js"
import { RagHttpLive } from "./Knowledge/Http.js"
import { KnowledgeSearch } from "./Knowledge/Search.js"
import { PilarHttpLive } from "./Pilar/Http.js"

/**
 * The server, read top to bottom:
 *   the contract (Api) implemented by one handler layer per group,
 *   framework failures mapped to the error envelope,
 *   the OpenAPI document and the built web app beside the API,
 *   the HTTP edge (request id, limits, CORS, security headers, access log),
 *   node:http underneath, answering the few hot fast routes itself (Http/NodeServer.ts).
 * Feature services (Health, …) and infrastructure (database, telemetry, logging) are
 * provided by main.ts or by a test, which is how any layer gets swapped.
 */
export const GroupsLive = Layer.mergeAll(HealthHttpLive, PilarHttpLive, RagHttpLive, AuthHttpLive)

export const ApiLive = HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))

/**
 * The feature services the handlers need, given a `SqlClient`, the `Embeddings` model, the `Llm`
 * gateway and the `AuthConfig`.
 */
export const ServicesLive = Layer.mergeAll(
  Health.Default,
  KnowledgeSearch.Default,
  AuthenticationLive.pipe(Layer.provideMerge(Accounts.Default)),
  SignInRateLimitLive
)

/**
 * The HTTP server for a given API implementation. Also outputs the platform `HttpServer`,
 * so callers (tests, benchmarks) can read the address it bound.
 */
export const serverLayer = <E, R, E2, R2>(
  apiLive: Layer.Layer<HttpApi.Api, E, R>,
  fastRoutes: Layer.Layer<FastRoutes, E2, R2>
) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const config = yield* ServerConfig
      const accessLog = yield* AccessLog
      const server = HttpApiBuilder.serve(edge(config, accessLog)).pipe(
        Layer.provide([FrameworkErrorsLive, DocsLive, StaticFilesLive]),
        Layer.provide(apiLive),
        HttpServer.withLogAddress
      )
      // A span per request only when traces are exported, and never for health probes.
      const traced = Option.isSome(config.otlpEndpoint)
        ? HttpMiddleware.withTracerDisabledWhen(server, (request) => request.url === "/health")
        : HttpMiddleware.withTracerDisabledWhen(server, () => true)
      return traced.pipe(Layer.provideMerge(nodeServerLayer(config)), Layer.provide(fastRoutes))
    })
  )

export const HttpLive = serverLayer(ApiLive, FastRoutesLive)
