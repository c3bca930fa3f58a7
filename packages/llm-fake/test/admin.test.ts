import OpenAI from "openai"
import { describe, expect, it } from "vitest"
import { failure, user, useFake } from "./helpers.js"

const ctx = useFake()

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${ctx.fake.url}/__admin${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } })
  })
  const text = await response.text()
  return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) }
}

const chat = () => ctx.openai.chat.completions.create({ model: "gpt-4o-mini", messages: user("hi") })

describe("journal and admin API", () => {
  it("journals every request with its body, faults and outcome (key redacted)", async () => {
    await chat()
    ctx.fake.script.next({ kind: "error", error: "server_error" })
    await failure(chat())
    const entries = ctx.fake.journal.entries({ provider: "openai" })
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({ method: "POST", path: "/v1/chat/completions", endpoint: "chat", model: "gpt-4o-mini", stream: false, status: 200, outcome: "completed", faults: [] })
    expect(entries[0]?.body).toMatchObject({ model: "gpt-4o-mini", messages: user("hi") })
    expect(entries[0]?.headers["authorization"]).not.toContain("sk-test")
    expect(entries[1]).toMatchObject({ status: 500, outcome: "error", faults: [{ kind: "error", error: "server_error" }], ruleId: expect.stringMatching(/^fault_/) })
    const viaApi = await admin("GET", "/journal?outcome=error")
    expect(viaApi.body).toMatchObject({ entries: [{ id: entries[1]?.id, status: 500 }] })
    expect((await admin("DELETE", "/journal")).status).toBe(204)
    expect(ctx.fake.journal.count()).toBe(0)
  })

  it("scripts, lists and removes faults at runtime", async () => {
    const added = await admin("POST", "/faults", [
      { match: { provider: "openai" }, fault: { kind: "error", error: "rate_limited", retryAfterSeconds: 3 }, times: 1 },
      { match: { provider: "anthropic" }, faults: [{ kind: "delayHeaders", ms: 1 }], rate: 0.1 }
    ])
    expect(added).toMatchObject({ status: 201, body: { ids: [expect.stringMatching(/^fault_/), expect.stringMatching(/^fault_/)] } })
    const [first, second] = (added.body as { ids: Array<string> }).ids
    expect(await admin("GET", "/faults")).toMatchObject({ body: { rules: [{ id: first, remaining: 1 }, { id: second, remaining: null, rate: 0.1 }] } })
    const error = await failure(chat())
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("3")
    expect(await admin("DELETE", `/faults/${second}`)).toEqual({ status: 204, body: undefined })
    expect(await admin("DELETE", `/faults/${second}`)).toMatchObject({ status: 404 })
    expect(ctx.fake.script.rules).toEqual([])
  })

  it("rejects invalid faults with 400 and a message", async () => {
    const bad = await admin("POST", "/faults", { fault: { kind: "stall" } })
    expect(bad).toEqual({ status: 400, body: { error: { message: "faults.afterChunks must be a non-negative number" } } })
    expect((await admin("POST", "/faults", { fault: { kind: "error", error: "nope" } })).status).toBe(400)
  })

  it("changes latency, token rate, reply and keys at runtime; reset restores them", async () => {
    expect(await admin("PATCH", "/config", { reply: "Configured reply.", latencyMs: 0 })).toMatchObject({ status: 200, body: { reply: "Configured reply." } })
    expect((await chat()).choices[0]?.message.content).toBe("Configured reply.")
    expect((await admin("PATCH", "/config", { tokensPerSecond: -1 })).status).toBe(400)
    expect((await admin("POST", "/reset")).status).toBe(204)
    expect((await chat()).choices[0]?.message.content).toMatch(/^Hello from llm-fake/)
    expect(ctx.fake.journal.count()).toBe(1)
  })

  it("waitFor resolves when the journal reaches a state", async () => {
    const waiting = ctx.fake.journal.waitFor((j) => j.count({ outcome: "completed" }) === 2)
    await Promise.all([chat(), chat()])
    await waiting
  })
})
