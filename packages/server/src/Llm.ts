import { Config, ConfigError, Context, Effect, Either, Layer, Option } from "effect"
import { OFFLINE_DIMENSIONS, OFFLINE_MODEL, offlineEmbedding } from "./Knowledge/OfflineEmbedding.js"
import { makeAnthropic } from "./Llm/Anthropic.js"
import { makeBreakers } from "./Llm/Breaker.js"
import type { EmbeddingProvider } from "./Llm/Embed.js"
import { type Gateway, makeGateway } from "./Llm/Gateway.js"
import { makeLangSmith } from "./Llm/LangSmith.js"
import { reportBreakerTransition, setBreakerState } from "./Llm/Observability.js"
import { makeOffline } from "./Llm/Offline.js"
import { makeOpenAi, makeOpenAiEmbeddings } from "./Llm/OpenAi.js"
import type { LlmProvider, ProviderName } from "./Llm/Provider.js"

const providerNames = ["openai", "anthropic", "offline"] as const

/**
 * `LLM_PROVIDERS`: a comma-separated order, e.g. `anthropic,openai,offline`. Default: the
 * providers that have a key (OpenAI, then Anthropic), then the offline provider, which needs
 * nothing and always answers.
 */
export const providerOrder = (
  raw: Option.Option<string>,
  keys: { readonly openai: boolean; readonly anthropic: boolean }
): Either.Either<ReadonlyArray<ProviderName>, string> =>
  Option.match(raw, {
    onNone: () =>
      Either.right([
        ...(keys.openai ? ["openai" as const] : []),
        ...(keys.anthropic ? ["anthropic" as const] : []),
        "offline" as const
      ]),
    onSome: (text) => {
      const names = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0)
      const unknown = names.filter((n) => !(providerNames as ReadonlyArray<string>).includes(n))
      if (names.length === 0) return Either.left("Expected at least one of openai, anthropic, offline")
      if (unknown.length > 0) return Either.left(`Unknown provider ${unknown.join(", ")}: expected openai, anthropic or offline`)
      const missing = names.filter((n) => (n === "openai" && !keys.openai) || (n === "anthropic" && !keys.anthropic))
      if (missing.length > 0) return Either.left(`${missing.join(", ")} listed without an API key`)
      return Either.right([...new Set(names)] as ReadonlyArray<ProviderName>)
    }
  })

/**
 * `LLM_BREAKER_FAILURES` (5), `LLM_BREAKER_OPEN_MS` (60000), `LLM_BREAKER_SUCCESSES` (3): the
 * thresholds of every LLM circuit breaker (chat, stream, embeddings).
 */
export const breakerThresholds = Config.all({
  failureThreshold: Config.integer("LLM_BREAKER_FAILURES").pipe(Config.withDefault(5)),
  openMs: Config.integer("LLM_BREAKER_OPEN_MS").pipe(Config.withDefault(60_000)),
  halfOpenSuccesses: Config.integer("LLM_BREAKER_SUCCESSES").pipe(Config.withDefault(3))
})

/** OpenAI's embedding model and the dimensions asked of it (the knowledge base's, too). */
export const openaiEmbeddingModel = { model: "text-embedding-3-small", dimensions: 1536 } as const

/** The offline embedding model as an embeddings provider (deterministic, local, never fails). */
const offlineEmbeddings: EmbeddingProvider = {
  name: "offline",
  model: OFFLINE_MODEL,
  dimensions: OFFLINE_DIMENSIONS,
  embed: (texts) => Effect.sync(() => ({ vectors: texts.map(offlineEmbedding), usage: "unknown" as const }))
}

/** The gateway, and the provider order it was configured with (for /health). */
export interface LlmService extends Gateway {
  readonly providers: ReadonlyArray<ProviderName>
}

/** The LLM gateway the features use (quiz generation, coaching). */
export class Llm extends Context.Tag("Llm")<Llm, LlmService>() {
  /**
   * From the SDKs' own variables (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`,
   * `ANTHROPIC_BASE_URL`), `OPENAI_MODEL`, `ANTHROPIC_MODEL`, `LLM_PROVIDERS`, and the breaker
   * thresholds ({@link breakerThresholds}). `embed` uses OpenAI's `text-embedding-3-small` (1536
   * dimensions) when `OPENAI_API_KEY` is set, the offline model otherwise.
   * LangSmith runs when `LANGSMITH_API_KEY` is set: `LANGSMITH_ENDPOINT`
   * (https://api.smith.langchain.com), `LANGSMITH_PROJECT` (compilar), posted in the background.
   */
  static readonly Live = Layer.scoped(
    Llm,
    Effect.gen(function*() {
      const openaiKey = yield* Config.option(Config.redacted("OPENAI_API_KEY"))
      const anthropicKey = yield* Config.option(Config.redacted("ANTHROPIC_API_KEY"))
      const openaiBase = yield* Config.option(Config.string("OPENAI_BASE_URL"))
      const anthropicBase = yield* Config.option(Config.string("ANTHROPIC_BASE_URL"))
      const openaiModel = yield* Config.string("OPENAI_MODEL").pipe(Config.withDefault("gpt-4o-mini"))
      const anthropicModel = yield* Config.string("ANTHROPIC_MODEL").pipe(Config.withDefault("claude-3-5-haiku-latest"))
      const order = providerOrder(yield* Config.option(Config.string("LLM_PROVIDERS")), {
        openai: Option.isSome(openaiKey),
        anthropic: Option.isSome(anthropicKey)
      })
      if (Either.isLeft(order)) return yield* Effect.fail(ConfigError.InvalidData(["LLM_PROVIDERS"], order.left))
      const thresholds = yield* breakerThresholds
      const langSmithKey = yield* Config.option(Config.redacted("LANGSMITH_API_KEY"))
      const langSmithEndpoint = yield* Config.string("LANGSMITH_ENDPOINT").pipe(
        Config.withDefault("https://api.smith.langchain.com")
      )
      const langSmithProject = yield* Config.string("LANGSMITH_PROJECT").pipe(Config.withDefault("compilar"))

      const build = (name: ProviderName): LlmProvider => {
        if (name === "openai" && Option.isSome(openaiKey)) {
          return makeOpenAi({ apiKey: openaiKey.value, baseURL: Option.getOrUndefined(openaiBase), model: openaiModel })
        }
        if (name === "anthropic" && Option.isSome(anthropicKey)) {
          return makeAnthropic({
            apiKey: anthropicKey.value,
            baseURL: Option.getOrUndefined(anthropicBase),
            model: anthropicModel
          })
        }
        return makeOffline()
      }
      const breakers = yield* makeBreakers({ ...thresholds, onTransition: reportBreakerTransition })
      yield* Effect.forEach(order.right, (provider) =>
        Effect.forEach(["chat", "stream"], (family) => setBreakerState(provider, family, "closed")), { discard: true })
      if (Option.isSome(openaiKey)) yield* setBreakerState("openai", "embed", "closed")
      const observer = Option.isSome(langSmithKey)
        ? yield* makeLangSmith({ apiKey: langSmithKey.value, endpoint: langSmithEndpoint, project: langSmithProject })
        : undefined
      yield* Effect.logInfo(`LLM providers: ${order.right.join(" → ")}${observer ? ` (LangSmith: ${langSmithEndpoint})` : ""}`)
      const embeddings = Option.isSome(openaiKey)
        ? makeOpenAiEmbeddings({
          apiKey: openaiKey.value,
          baseURL: Option.getOrUndefined(openaiBase),
          model: openaiEmbeddingModel.model,
          dimensions: openaiEmbeddingModel.dimensions
        })
        : offlineEmbeddings
      return {
        ...makeGateway({ providers: order.right.map(build), breakers, embeddings, ...(observer ? { observer } : {}) }),
        providers: order.right
      }
    })
  )
}
