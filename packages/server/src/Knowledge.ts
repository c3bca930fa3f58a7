import { corpusVersion, knowledgeCorpus } from "@compilar/domain"
import { Effect, Layer } from "effect"
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

/** The embedding model: the offline one until the LLM gateway brings OpenAI's. */
export const EmbeddingsLive = Embeddings.offline
