import { Api, knowledgeCorpus } from "@compilar/domain"
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { ConfigProvider, Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { Llm } from "../../src/Llm.js"
import { makeBreakers } from "../../src/Llm/Breaker.js"
import { makeGateway } from "../../src/Llm/Gateway.js"
import { makeOffline } from "../../src/Llm/Offline.js"
import type { LlmProvider } from "../../src/Llm/Provider.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { TestServer } from "../support/TestServer.js"

/**
 * What the assessment tests share: a database migrated and seeded like production (the PILAR
 * dataset, and the knowledge corpus the quiz is grounded in), learners signed up through the
 * API, and the derived client carrying a learner's access token.
 */

export const seededDatabase = <E>(database: Layer.Layer<SqlClient.SqlClient, E>) =>
  Layer.effectDiscard(Effect.flatMap(KnowledgeStore, (store) => store.seed(knowledgeCorpus))).pipe(
    Layer.provide(KnowledgeStore.Default),
    Layer.provide(Embeddings.offline),
    Layer.provideMerge(PilarSeedLive),
    Layer.provideMerge(MigrationsLive),
    Layer.provideMerge(database)
  ) as Layer.Layer<SqlClient.SqlClient, E | SqlError>

export const password = "Correct-horse-battery-9"

/** The typed client, authenticated as the holder of `accessToken`. */
export const clientFor = (accessToken: string) =>
  Effect.flatMap(TestServer, ({ url }) =>
    HttpApiClient.make(Api, {
      baseUrl: url,
      transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(accessToken))
    })).pipe(Effect.provide(FetchHttpClient.layer))

export interface Learner {
  readonly id: string
  readonly token: string
  readonly client: Effect.Effect.Success<ReturnType<typeof clientFor>>
}

/** A new account, signed up through the API. */
export const learner = (name = "learner") =>
  Effect.gen(function*() {
    const { url } = yield* TestServer
    const anonymous = yield* HttpApiClient.make(Api, { baseUrl: url }).pipe(Effect.provide(FetchHttpClient.layer))
    const session = yield* anonymous.auth.signup({
      payload: { email: `${name}.${randomBytes(5).toString("hex")}@example.com`, password, displayName: name }
    })
    const learner: Learner = { id: session.user.id, token: session.accessToken, client: yield* clientFor(session.accessToken) }
    return learner
  })

/** Plain fetch with a learner's token, for what the typed client cannot send (bad bodies, raw headers). */
export const call = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  Effect.flatMap(TestServer, ({ url }) =>
    Effect.promise(async () => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...headers
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
      })
      const text = await response.text()
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) as unknown }
    }))

export interface Envelope {
  readonly error: {
    readonly code: string
    readonly message: string
    readonly details?: ReadonlyArray<{ readonly path: string; readonly message: string }>
  }
}

export const errorOf = (response: { readonly body: unknown }) => (response.body as Envelope).error

/**
 * The gateway over one provider wrapped to count its `chat` calls (and optionally slow them),
 * to see how many LLM calls a feature really makes.
 */
export const countingLlm = (options: { readonly delayMs?: number; readonly provider?: LlmProvider } = {}) => {
  const calls = { chat: 0 }
  const inner = options.provider ?? makeOffline()
  const counted: LlmProvider = {
    ...inner,
    chat: (request) =>
      Effect.sync(() => {
        calls.chat++
      }).pipe(
        Effect.zipRight(options.delayMs === undefined ? Effect.void : Effect.sleep(options.delayMs)),
        Effect.zipRight(inner.chat(request))
      )
  }
  const layer = Layer.effect(
    Llm,
    Effect.map(makeBreakers({}), (breakers) => ({
      ...makeGateway({ providers: [counted], breakers }),
      providers: [inner.name]
    }))
  )
  return { calls, layer }
}

/** `Llm.Live` from the given variables only (the SDK keys and base URLs of an llm-fake, the provider order). */
export const llmFrom = (variables: Record<string, string>): Layer.Layer<Llm> =>
  Llm.Live.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(variables))))),
    Layer.orDie
  )
