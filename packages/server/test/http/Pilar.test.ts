import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { stubDatabase } from "../support/StubDatabase.js"
import { apiClient, json, request, TestServer } from "../support/TestServer.js"

describe("PILAR framework API", () => {
  layer(TestServer.layer({ database: stubDatabase }), { excludeTestServices: true, timeout: 60_000 })((it) => {
    it.effect("modes, pillars per mode, one pillar, forces and connections through the derived client", () =>
      Effect.gen(function*() {
        const client = yield* apiClient
        expect((yield* client.pilar.modes()).map((m) => m.id)).toEqual(["egalitarian", "hierarchical"])
        expect(yield* client.pilar.pillars({ urlParams: {} })).toHaveLength(10)
        const hierarchical = yield* client.pilar.pillars({ urlParams: { mode: "hierarchical" } })
        expect(hierarchical.map((p) => p.id)).toEqual(["ownprosp", "dirrecip", "status", "normexp", "incresp"])
        const divsexp = yield* client.pilar.pillar({ path: { id: "divsexp" } })
        expect(divsexp.counterpart).toBe("normexp")
        expect(yield* client.pilar.forces({ urlParams: { pillar: "status" } })).toHaveLength(4)
        expect(yield* client.pilar.forces({ urlParams: { mode: "egalitarian" } })).toHaveLength(20)
        const egalitarian = yield* client.pilar.connections({ urlParams: { mode: "egalitarian" } })
        expect(egalitarian).toHaveLength(20)
        expect(egalitarian.find((c) => c.id === "ECP-04")).toMatchObject({ name: "Scapegoating", type: "reinforce", strength: 0.85 })
        expect(yield* client.pilar.connections({ urlParams: {} })).toHaveLength(40)
      }))

    it.effect("an unknown pillar id is a 404 not_found envelope, typed on the client", () =>
      Effect.gen(function*() {
        const client = yield* apiClient
        const error = yield* Effect.flip(client.pilar.pillar({ path: { id: "nope" } }))
        expect(error._tag).toBe("NotFound")
        const response = yield* request("/api/v1/pilar/pillars/nope")
        expect(response.status).toBe(404)
        expect(yield* json(response)).toMatchObject({ error: { code: "not_found" } })
      }))

    it.effect("an unknown mode or pillar filter is a 400 naming the parameter", () =>
      Effect.gen(function*() {
        for (const [path, field] of [
          ["/api/v1/pilar/pillars?mode=anarchic", "mode"],
          ["/api/v1/pilar/forces?pillar=zzz", "pillar"],
          ["/api/v1/pilar/connections?mode=", "mode"]
        ] as const) {
          const response = yield* request(path)
          expect(response.status).toBe(400)
          const body = (yield* json(response)) as { error: { code: string; details: Array<{ path: string; message: string }> } }
          expect(body.error.code).toBe("validation_failed")
          expect(body.error.details.map((d) => d.path)).toEqual([field])
          expect(body.error.details[0]?.message).toMatch(/^Expected one of "/)
        }
      }))
  })
})
