import { Api } from "@compilar/domain"
import type { HttpApi } from "@effect/platform"
import { FetchHttpClient, HttpApiClient, HttpServer } from "@effect/platform"
import type { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, Logger, LogLevel, Option } from "effect"
import { ServerConfig, type ServerConfigShape } from "../../src/Config.js"
import { Database } from "../../src/Database.js"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { FastRoutesLive } from "../../src/Health/Http.js"
import { ApiLive, serverLayer, ServicesLive } from "../../src/Http.js"
import { type AccessEntry, AccessLog } from "../../src/Http/AccessLog.js"
import { FastRoutes } from "../../src/Http/FastRoute.js"

export const testConfig = (overrides: Partial<ServerConfigShape> = {}): ServerConfigShape => ({
  port: 0,
  host: "127.0.0.1",
  corsOrigins: [],
  bodyLimitBytes: 1024 * 1024,
  shutdownGraceMs: 5_000,
  webDist: Option.none(),
  accessLog: false,
  otlpEndpoint: Option.none(),
  serviceName: "compilar-test",
  ...overrides
})

export interface TestServerShape {
  readonly url: string
}

/** A live server on a random port: the same layers as production, over the database given. */
export class TestServer extends Context.Tag("test/TestServer")<TestServer, TestServerShape>() {
  static readonly layer = <E>(options: {
    readonly database: Layer.Layer<SqlClient.SqlClient, E>
    readonly config?: Partial<ServerConfigShape>
    readonly api?: Layer.Layer<HttpApi.Api, never, Layer.Layer.Success<typeof ServicesLive>>
    /** false: every request through the platform path, to compare it with the fast path. */
    readonly fastPath?: boolean
    /** Where the access log goes; off when omitted. */
    readonly accessLog?: Array<AccessEntry>
    /** The embedding model; the offline one by default. */
    readonly embeddings?: Layer.Layer<Embeddings>
    /** Server log level; Warning by default to keep test output readable. */
    readonly logLevel?: LogLevel.LogLevel
  }) =>
    Layer.effect(
      TestServer,
      Effect.map(HttpServer.HttpServer, (server) => {
        const address = server.address
        if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
        return { url: `http://127.0.0.1:${address.port}` }
      })
    ).pipe(
      Layer.provide(
        serverLayer(options.api ?? ApiLive, options.fastPath === false ? Layer.succeed(FastRoutes, []) : FastRoutesLive)
      ),
      Layer.provide(options.accessLog ? AccessLog.memory(options.accessLog) : Layer.succeed(AccessLog, AccessLog.disabled)),
      Layer.provide(ServicesLive),
      Layer.provide(Database.Default),
      Layer.provide(options.embeddings ?? Embeddings.offline),
      Layer.provide(options.database),
      Layer.provide(ServerConfig.layer(testConfig(options.config))),
      Layer.provide(Logger.minimumLogLevel(options.logLevel ?? LogLevel.Warning))
    )
}

/** The client derived from the contract, pointed at the test server. */
export const apiClient = Effect.flatMap(TestServer, ({ url }) => HttpApiClient.make(Api, { baseUrl: url })).pipe(
  Effect.provide(FetchHttpClient.layer)
)

/** Plain fetch against the test server, for what the typed client cannot express (bad bodies, headers). */
export const request = (path: string, init?: RequestInit) =>
  Effect.flatMap(TestServer, ({ url }) => Effect.promise(() => fetch(`${url}${path}`, init)))

export const json = (response: Response) => Effect.promise(() => response.json() as Promise<unknown>)
