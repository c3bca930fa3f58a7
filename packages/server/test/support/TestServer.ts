import { Api } from "@compilar/domain"
import type { HttpApi } from "@effect/platform"
import { FetchHttpClient, HttpApiClient, HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { ConfigProvider, Context, Duration, Effect, Layer, Logger, LogLevel, Option, Redacted } from "effect"
import { AuthConfig, type AuthConfigShape } from "../../src/Auth.js"
import { CoachingConfig, type CoachingConfigShape } from "../../src/Coaching.js"
import { ServerConfig, type ServerConfigShape } from "../../src/Config.js"
import { Database } from "../../src/Database.js"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { RevocationBus } from "../../src/Auth/Revocations.js"
import { defaultTokenCacheSettings } from "../../src/Auth/TokenCache.js"
import { ApiLive, FastRoutesLive, serverLayer, ServicesLive } from "../../src/Http.js"
import { type AccessEntry, AccessLog } from "../../src/Http/AccessLog.js"
import { FastRoutes } from "../../src/Http/FastRoute.js"
import { ClientAddress } from "../../src/Http/ClientAddress.js"
import { RateLimitConfig, type RateLimitTiers } from "../../src/RateLimit.js"
import type { RedisSettings } from "../../src/Redis.js"
import { sharedStateLayer } from "../../src/SharedState.js"
import { Llm } from "../../src/Llm.js"

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

/** `Llm.Live` with no key configured: the offline provider alone, whatever the environment says. */
export const offlineLlm: Layer.Layer<Llm> = Llm.Live.pipe(
  Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))),
  Layer.orDie
)

/** A fixed signing key (tests mint their own tokens with it) and a cheap scrypt cost (N=2^14: tests sign up a lot). */
export const testAuthConfig = (overrides: Partial<AuthConfigShape> = {}): AuthConfigShape => ({
  jwtKey: Redacted.make(Buffer.from("compilar-test-signing-key-0123456789abcdef", "utf8") as Uint8Array),
  accessTtlSeconds: 15 * 60,
  refreshTtlSeconds: 30 * 24 * 3600,
  operatorEmails: [],
  scrypt: { logN: 14, r: 8, p: 1 },
  tokenCache: defaultTokenCacheSettings,
  supabase: Option.none(),
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
    /** Sign-in attempts per minute per address; high by default so tests are not limited. */
    readonly signInPerMinute?: number
    /** Where the access log goes; off when omitted. */
    readonly accessLog?: Array<AccessEntry>
    /** The embedding model; the offline one by default. */
    readonly embeddings?: Layer.Layer<Embeddings>
    /** The LLM gateway; the offline provider alone by default. */
    readonly llm?: Layer.Layer<Llm, E>
    /** Accounts: key, lifetimes, operator emails, scrypt cost; `testAuthConfig()` by default. */
    readonly auth?: Partial<AuthConfigShape>
    /** Server log level; Warning by default to keep test output readable. */
    readonly logLevel?: LogLevel.LogLevel
    /** How token-cache revocations reach other instances; `RevocationBus.local` (none) by default. */
    readonly revocations?: Layer.Layer<RevocationBus>
    /** Rate limits and revocations through this Redis (see TestRedis.ts); memory and `RevocationBus.local` when omitted. */
    readonly redis?: RedisSettings
    /** Rate-limit tiers; every one high by default (10,000 a minute) so tests are not limited. */
    readonly rateLimits?: Partial<RateLimitTiers>
    /** Proxies whose X-Forwarded-For is believed (addresses, CIDRs, `loopback`); none by default. */
    readonly trustedProxies?: ReadonlyArray<string>
    /** Coaching streams: grace after the last follower leaves, heartbeat and retry intervals. */
    readonly coaching?: Partial<CoachingConfigShape>
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
      Layer.provide(RateLimitConfig.layer({
        signInPerMinute: options.signInPerMinute ?? 10_000,
        signInAccountPerMinute: 10_000,
        refreshPerMinute: 10_000,
        aiPerMinute: 10_000,
        generalPerMinute: 10_000,
        ...options.rateLimits
      })),
      Layer.provide(ClientAddress.layer(options.trustedProxies ?? [])),
      Layer.provide(AuthConfig.layer(testAuthConfig(options.auth))),
      Layer.provide(CoachingConfig.layer({
        grace: Duration.millis(200),
        heartbeat: Duration.seconds(15),
        retry: Duration.seconds(2),
        ...options.coaching
      })),
      Layer.provide(options.revocations ?? Layer.empty),
      Layer.provide(sharedStateLayer(Option.fromNullable(options.redis))),
      Layer.provide(Database.Default),
      Layer.provide(options.llm ?? offlineLlm),
      Layer.provide(options.embeddings ?? Embeddings.offline),
      Layer.provide(options.database),
      Layer.provide(ServerConfig.layer(testConfig(options.config))),
      Layer.provide(Logger.minimumLogLevel(options.logLevel ?? LogLevel.Warning))
    )
}

/**
 * The URL of a second server over the same database as the caller's (its `SqlClient`), with every
 * request through the platform path: a fast route's answers are compared with it. Stopped with
 * the scope.
 */
export const platformTwin = (options: Omit<Parameters<typeof TestServer.layer>[0], "database" | "fastPath"> = {}) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(
      Layer.build(TestServer.layer({ ...options, database: Layer.succeed(SqlClient.SqlClient, sql), fastPath: false })),
      (context) => Context.get(context, TestServer).url
    ))

/** The client derived from the contract, pointed at the test server. */
export const apiClient = Effect.flatMap(TestServer, ({ url }) => HttpApiClient.make(Api, { baseUrl: url })).pipe(
  Effect.provide(FetchHttpClient.layer)
)

/** Plain fetch against the test server, for what the typed client cannot express (bad bodies, headers). */
export const request = (path: string, init?: RequestInit) =>
  Effect.flatMap(TestServer, ({ url }) => Effect.promise(() => fetch(`${url}${path}`, init)))

export const json = (response: Response) => Effect.promise(() => response.json() as Promise<unknown>)
