import { knowledgeCorpus } from "@compilar/domain"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { Embeddings } from "../../src/Knowledge/Embeddings.js"
import { KnowledgeStore } from "../../src/Knowledge/Store.js"
import { MigrationsLive } from "../../src/Migrations.js"
import { PilarSeedLive } from "../../src/Pilar/Seed.js"
import { pglite } from "../support/TestDatabase.js"
import { apiClient, json, request, TestServer } from "../support/TestServer.js"

const post = (body: unknown) =>
  request("/api/v1/rag/query", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body)
  })

/** Every invalid input is a 400 naming the field: checked before any query runs. */
describe("POST /api/v1/rag/query validation", () => {
  layer(TestServer.layer({ database: pglite.layer }), { excludeTestServices: true, timeout: 120_000 })((it) => {
    const cases: ReadonlyArray<readonly [string, unknown, string]> = [
      ["empty query", { query: "" }, "query"],
      ["whitespace query", { query: "   \n\t " }, "query"],
      ["query over 2,000 characters", { query: "a".repeat(2001) }, "query"],
      ["missing query", {}, "query"],
      ["unknown pillar", { query: "trust", pillar: "nope" }, "pillar"],
      ["unknown mode", { query: "trust", mode: "anarchic" }, "mode"],
      ["unknown category", { query: "trust", category: "gossip" }, "category"],
      ["limit 0", { query: "trust", limit: 0 }, "limit"],
      ["limit 51", { query: "trust", limit: 51 }, "limit"],
      ["fractional limit", { query: "trust", limit: 2.5 }, "limit"],
      ["threshold above 1", { query: "trust", threshold: 1.5 }, "threshold"]
    ]
    for (const [name, body, field] of cases) {
      it.effect(`${name} → 400 validation_failed naming ${field}`, () =>
        Effect.gen(function*() {
          const response = yield* post(body)
          expect(response.status).toBe(400)
          const envelope = (yield* json(response)) as { error: { code: string; details: Array<{ path: string }> } }
          expect(envelope.error.code).toBe("validation_failed")
          expect(envelope.error.details.map((d) => d.path)).toEqual([field])
        }))
    }

    it.effect("several bad fields are reported together", () =>
      Effect.gen(function*() {
        const response = yield* post({ query: "", mode: "x", limit: 99 })
        const envelope = (yield* json(response)) as { error: { details: Array<{ path: string }> } }
        expect(envelope.error.details.map((d) => d.path).sort()).toEqual(["limit", "mode", "query"])
      }))
  })
})

const seededDatabase = Layer.effectDiscard(Effect.flatMap(KnowledgeStore, (store) => store.seed(knowledgeCorpus))).pipe(
  Layer.provide(KnowledgeStore.Default),
  Layer.provide(Embeddings.offline),
  Layer.provideMerge(PilarSeedLive),
  Layer.provideMerge(MigrationsLive),
  Layer.provideMerge(pglite.layer)
)

describe("POST /api/v1/rag/query through the derived client", () => {
  layer(TestServer.layer({ database: seededDatabase }), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("ranks the passage a learner is looking for first, with its metadata and scores", () =>
      Effect.gen(function*() {
        const client = yield* apiClient
        const found = yield* client.rag.query({ payload: { query: "What does Scapegoating mean?", limit: 5 } })
        expect(found.degraded).toBe(false)
        expect(found.model).toBe("offline-hash-v1")
        expect(found.results.map((r) => r.id)).toContain("connection:ecp-04")
        const hit = found.results.find((r) => r.id === "connection:ecp-04")!
        expect(hit).toMatchObject({ pillar: "grpprosp", mode: "egalitarian", category: "connection" })
        expect(hit.scores.fused).toBeGreaterThan(0)
      }))
  })
})
