import { corpusVersion, knowledgeCorpus } from "@compilar/domain"
import { Config, ConfigError, Effect, Layer, Option } from "effect"
import { Embeddings } from "./Knowledge/Embeddings.js"
import { KnowledgeStore } from "./Knowledge/Store.js"

/**
 * The knowledge base, ready at start-up: the versioned corpus seeded and embedded with the
 * configured model (offline by default), re-embedding only what changed since the last start.
 * A model stored with another dimension stops start-up with a message naming both.
 */
export const KnowledgeLive = Layer.effectDiscard(
  Effect.gen(function*() {
    const store = yield* KnowledgeStore
    const report = yield* store.seed(knowledgeCorpus)
    yield* Effect.logInfo(`Knowledge corpus ${corpusVersion}: ${knowledgeCorpus.length} chunks`).pipe(
      Effect.annotateLogs({ model: store.model, ...report })
    )
  })
).pipe(Layer.provideMerge(KnowledgeStore.Default))

/**
 * The embedding model, from configuration: OpenAI's `text-embedding-3-small` (1536
 * dimensions) when `OPENAI_API_KEY` is set, the offline model otherwise. `EMBEDDINGS`
 * (`openai` | `offline`) overrides the choice; `OPENAI_BASE_URL` is the SDK's own.
 */
export const EmbeddingsLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const apiKey = yield* Config.option(Config.redacted("OPENAI_API_KEY"))
    const baseURL = yield* Config.option(Config.string("OPENAI_BASE_URL"))
    const choice = yield* Config.literal("openai", "offline")("EMBEDDINGS").pipe(
      Config.withDefault(Option.isSome(apiKey) ? "openai" as const : "offline" as const)
    )
    if (choice === "offline") return Embeddings.offline
    if (Option.isNone(apiKey)) {
      return yield* Effect.fail(ConfigError.MissingData(["OPENAI_API_KEY"], "EMBEDDINGS=openai needs an OpenAI API key"))
    }
    return Embeddings.openai({
      apiKey: apiKey.value,
      baseURL: Option.getOrUndefined(baseURL),
      model: "text-embedding-3-small",
      dimensions: 1536
    })
  })
)
