import { Api } from "@compilar/domain"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { KnowledgeSearch } from "./Search.js"

export const RagHttpLive = HttpApiBuilder.group(Api, "rag", (handlers) =>
  Effect.map(KnowledgeSearch, (knowledge) =>
    handlers.handle("query", ({ payload }) => knowledge.search(payload).pipe(Effect.orDie))))
