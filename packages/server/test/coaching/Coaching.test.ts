import { type LlmFake, start } from "@compilar/llm-fake"
import { describe, expect, it, layer } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { afterAll, beforeAll } from "vitest"
import { call, errorOf, learner, type Learner, llmFrom, seededDatabase } from "../assessments/support.js"
import { databases } from "../support/TestDatabase.js"
import { TestServer } from "../support/TestServer.js"

/** One SSE event as a client sees it. */
interface SseEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: Record<string, unknown>
}

/** Splits an SSE body into events (comments and `retry:` kept apart). */
const parseSse = (body: string) => {
  const events: Array<SseEvent> = []
  let comments = 0
  let retry: number | undefined
  for (const block of body.split("\n\n").filter((b) => b !== "")) {
    const fields = block.split("\n")
    if (fields.every((line) => line.startsWith(":"))) {
      comments++
      continue
    }
    const value = (name: string) => fields.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2)
    if (value("retry") !== undefined && value("event") === undefined) {
      retry = Number(value("retry"))
      continue
    }
    events.push({ id: value("id"), event: value("event")!, data: JSON.parse(value("data")!) as Record<string, unknown> })
  }
  return { events, comments, retry }
}

/** A completed assessment of `pillar`, answered through the API. */
const completed = (who: Learner, pillar: "divsexp" | "status" = "divsexp") =>
  Effect.gen(function*() {
    const mode = pillar === "divsexp" ? "egalitarian" : "hierarchical"
    const created = yield* who.client.assessments.create({ payload: { pillar, mode } })
    const quiz = yield* who.client.assessments.generateQuestions({ path: { id: created.id } })
    for (const [i, q] of quiz.questions.entries()) {
      yield* who.client.assessments.answer({ path: { id: created.id, questionId: q.id }, payload: { value: (i % 5) + 1 }, headers: {} })
    }
    yield* who.client.assessments.complete({ path: { id: created.id } })
    return created.id
  })

const coaching = (who: Learner, id: string, headers: Record<string, string> = {}) =>
  Effect.flatMap(TestServer, ({ url }) =>
    Effect.promise(async () => {
      const response = await fetch(`${url}/api/v1/assessments/${id}/coaching`, {
        headers: { authorization: `Bearer ${who.token}`, ...headers }
      })
      return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() }
    }))

const textOf = (events: ReadonlyArray<SseEvent>) =>
  events.filter((e) => e.event === "delta").map((e) => e.data["text"] as string).join("")

describe.each(databases)("coaching on $name (offline provider)", ({ layer: database }) => {
  layer(TestServer.layer({ database: seededDatabase(database) }), { excludeTestServices: true, timeout: 180_000 })((it) => {
    it.effect("streams sources, the text with citations, then done; later requests replay the stored run", () =>
      Effect.gen(function*() {
        const ada = yield* learner("ada")
        const id = yield* completed(ada)
        const first = yield* coaching(ada, id)
        expect(first.status).toBe(200)
        expect(first.contentType).toMatch(/^text\/event-stream/)
        const { events, retry } = parseSse(first.body)
        expect(retry).toBe(2000)
        expect(events[0]!.event).toBe("sources")
        expect(events.at(-1)!.event).toBe("done")
        expect(events.slice(1, -1).every((e) => e.event === "delta")).toBe(true)
        // Ids: one generation, sequences 1…n in order.
        const generation = events[0]!.id!.split(":")[0]
        expect(events.map((e) => e.id)).toEqual(events.map((_, i) => `${generation}:${i + 1}`))

        const sources = events[0]!.data["sources"] as Array<{ n: number; chunkId: string; pillar: string | null }>
        expect(sources.length).toBeGreaterThanOrEqual(3)
        expect(sources.every((s) => s.pillar === "divsexp")).toBe(true)
        // The pillar's own passages by id, then what search found for the forces.
        expect(sources.slice(0, 3).map((s) => s.chunkId)).toEqual([
          "pillar:divsexp:definition",
          expect.stringMatching(/^force:divsexp\./),
          "guidance:divsexp:raise"
        ])
        const text = textOf(events)
        expect(text).toContain("Your Diverse Expression score is")
        const cited = [...text.matchAll(/\[(\d)\]/g)].map((m) => sources[Number(m[1]) - 1]!.chunkId)
        const done = events.at(-1)!.data
        expect(done["provider"]).toBe("offline")
        expect(done["citations"]).toEqual([...new Set(cited)])
        expect((done["citations"] as Array<string>).length).toBeGreaterThan(0)

        // Replayed: the same events, ids included.
        const again = yield* coaching(ada, id)
        expect(parseSse(again.body).events).toEqual(events)
      }))

    it.effect("Last-Event-ID resumes after that event; an id of another run restarts from the beginning", () =>
      Effect.gen(function*() {
        const bo = yield* learner("bo")
        const id = yield* completed(bo, "status")
        const all = parseSse((yield* coaching(bo, id)).body).events
        const resumed = parseSse((yield* coaching(bo, id, { "last-event-id": all[4]!.id! })).body).events
        expect(resumed).toEqual(all.slice(5))
        const other = parseSse((yield* coaching(bo, id, { "last-event-id": "0ther:3" })).body).events
        expect(other[0]).toMatchObject({ id: undefined, event: "restart" })
        expect(other.slice(1)).toEqual(all)
        // A malformed id is ignored: the whole run, no restart.
        expect(parseSse((yield* coaching(bo, id, { "last-event-id": "nonsense" })).body).events).toEqual(all)
      }))

    it.effect("before completion 409 results_not_ready; another learner's, a malformed id or none at all: 404; no token: 401", () =>
      Effect.gen(function*() {
        const cy = yield* learner("cy")
        const created = yield* cy.client.assessments.create({ payload: { pillar: "divsexp", mode: "egalitarian" } })
        const early = yield* call(cy.token, "GET", `/api/v1/assessments/${created.id}/coaching`)
        expect([early.status, errorOf(early).code]).toEqual([409, "results_not_ready"])

        const id = yield* completed(cy)
        const eve = yield* learner("eve")
        for (const path of [id, "not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
          const response = yield* call(eve.token, "GET", `/api/v1/assessments/${path}/coaching`)
          expect([response.status, errorOf(response).code]).toEqual([404, "not_found"])
        }
        const { url } = yield* TestServer
        const anonymous = yield* Effect.promise(() => fetch(`${url}/api/v1/assessments/${id}/coaching`))
        expect(anonymous.status).toBe(401)
      }))
  })
})

describe("coaching through a remote provider (llm-fake, PGlite)", () => {
  let fake: LlmFake
  beforeAll(async () => {
    fake = await start({ port: 0 })
  })
  afterAll(() => fake.close())

  const database = databases[0]!.layer
  const server = Effect.suspend(() => Effect.succeed(fake)).pipe(
    Effect.map((f) =>
      TestServer.layer({
        database: seededDatabase(database),
        llm: llmFrom({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: f.openaiBaseUrl, LLM_PROVIDERS: "openai" }),
        coaching: { grace: Duration.millis(100), heartbeat: Duration.millis(100) }
      })
    )
  )

  it.live("one upstream call serves concurrent followers; leaving aborts it; a failure is an error event and is not stored", () =>
    Effect.gen(function*() {
      const layerOf = yield* server
      yield* Effect.gen(function*() {
        const ada = yield* learner("ada")
        const id = yield* completed(ada)
        fake.reset()

        // Two tabs at once: one upstream stream, the same events for both.
        const [a, b] = yield* Effect.all([coaching(ada, id), coaching(ada, id)], { concurrency: 2 })
        expect(parseSse(a.body).events).toEqual(parseSse(b.body).events)
        expect(parseSse(a.body).events.at(-1)).toMatchObject({ event: "done", data: { provider: "openai" } })
        expect(fake.journal.entries({ provider: "openai", endpoint: "chat" })).toHaveLength(1)
        // Stored: asking again calls nobody.
        yield* coaching(ada, id)
        expect(fake.journal.entries({ provider: "openai", endpoint: "chat" })).toHaveLength(1)

        // The learner leaves mid-stream: once the grace period is over, the upstream request is aborted.
        const second = yield* completed(ada, "status")
        fake.reset()
        fake.configure({ tokensPerSecond: 20 })
        const { url } = yield* TestServer
        yield* Effect.promise(async () => {
          const controller = new AbortController()
          const response = await fetch(`${url}/api/v1/assessments/${second}/coaching`, {
            headers: { authorization: `Bearer ${ada.token}` },
            signal: controller.signal
          })
          const reader = response.body!.getReader()
          let seen = ""
          while (!seen.includes("event: delta")) seen += new TextDecoder().decode((await reader.read()).value)
          controller.abort()
        })
        yield* Effect.promise(() =>
          new Promise<void>((resolve, reject) => {
            const deadline = Date.now() + 5_000
            const poll = () => {
              const entry = fake.journal.entries({ provider: "openai", endpoint: "chat" })[0]
              if (entry?.outcome === "client-closed") resolve()
              else if (Date.now() > deadline) reject(new Error(`upstream not aborted: ${entry?.outcome}`))
              else setTimeout(poll, 20)
            }
            poll()
          })
        )
        fake.configure({ tokensPerSecond: 0 })

        // A slow first token: heartbeats keep the connection alive meanwhile.
        const third = yield* completed(ada)
        fake.script.add({ match: { provider: "openai", endpoint: "chat", stream: true }, faults: [{ kind: "delayFirstToken", ms: 500 }], times: 1 })
        const slow = yield* coaching(ada, third)
        const beforeText = slow.body.slice(0, slow.body.indexOf("event: delta"))
        expect(beforeText.match(/^: heartbeat$/gm)?.length ?? 0).toBeGreaterThanOrEqual(3)
        expect(parseSse(slow.body).events.at(-1)?.event).toBe("done")

        // Every attempt fails: the stream ends with a typed error event, and nothing is stored.
        fake.reset()
        fake.script.add({ match: { provider: "openai", endpoint: "chat" }, faults: [{ kind: "error", error: "bad_request" }], times: 1 })
        const failed = parseSse((yield* coaching(ada, second)).body).events
        expect(failed.at(-1)).toMatchObject({ event: "error", data: { code: "bad_request", retryable: false } })
        const retried = parseSse((yield* coaching(ada, second)).body).events
        expect(retried.at(-1)).toMatchObject({ event: "done", data: { provider: "openai" } })
      }).pipe(Effect.provide(layerOf))
    }), { timeout: 180_000 })
})
