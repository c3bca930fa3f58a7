import { Api } from "@compilar/domain"
import type { HttpApi } from "@effect/platform"
import { HttpApiBuilder, HttpMiddleware, HttpServer } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { Assessments } from "./Assessments.js"
import { AssessmentsHttpLive } from "./Assessments/Http.js"
import { answerFastRoute } from "./Assessments/FastAnswer.js"
import { Accounts } from "./Auth.js"
import { AuthHttpLive, meFastRoute } from "./Auth/Http.js"
import { AuthenticationLive } from "./Auth/Middleware.js"
import { RefreshRateLimitLive, SignInRateLimitLive } from "./Auth/RateLimit.js"
import { Coaching } from "./Coaching.js"
import { CoachingHttpLive } from "./Coaching/Http.js"
import { AiRateLimitLive, RateLimitLive } from "./RateLimit/Middleware.js"
import { ServerConfig } from "./Config.js"
import { Health } from "./Health.js"
import { HealthHttpLive, healthFastRoute } from "./Health/Http.js"
import { AccessLog } from "./Http/AccessLog.js"
import { DocsLive } from "./Http/Docs.js"
import { edge } from "./Http/Edge.js"
import { FastRoutes } from "./Http/FastRoute.js"
import { FrameworkErrorsLive } from "./Http/FrameworkErrors.js"
import { nodeServerLayer } from "./Http/NodeServer.js"
import { StaticFilesLive } from "./Http/StaticFiles.js"
import { searchFastRoute } from "./Knowledge/FastSearch.js"
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
export const GroupsLive = Layer.mergeAll(HealthHttpLive, PilarHttpLive, RagHttpLive, AuthHttpLive, AssessmentsHttpLive, CoachingHttpLive)

export const ApiLive = HttpApiBuilder.api(Api).pipe(Layer.provide(GroupsLive))

/** What node:http answers itself (Http/NodeServer.ts): the hottest endpoints (health, /me, the answer PUT, search). */
export const FastRoutesLive = Layer.effect(FastRoutes, Effect.all([healthFastRoute, meFastRoute, answerFastRoute, searchFastRoute]))

/**
 * The feature services the handlers need, given a `SqlClient`, the `Embeddings` model, the `Llm`
 * gateway and the `AuthConfig`.
 */
export const ServicesLive = Layer.mergeAll(
  Health.Default,
  KnowledgeSearch.Default,
  // The quiz is grounded in knowledge search (the same layer, so the same instance).
  Assessments.Default.pipe(Layer.provide(KnowledgeSearch.Default)),
  Coaching.Default.pipe(Layer.provide(KnowledgeSearch.Default)),
  AuthenticationLive.pipe(Layer.provideMerge(Accounts.Default)),
  SignInRateLimitLive,
  RefreshRateLimitLive,
  RateLimitLive,
  AiRateLimitLive
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
