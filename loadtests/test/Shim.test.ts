import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ScriptError } from "../runner/Errors.js"
import { runScript } from "../runner/Script.js"
import { type FakeApi, startFakeApi } from "./support/FakeApi.js"

/** The runner on small scripts against a fake server: k6 semantics, and refusals. */

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url))
const quiet = () => {}

let api: FakeApi
beforeAll(async () => {
  api = await startFakeApi()
})
afterAll(() => api.close())

const run = (name: string) =>
  runScript({ scriptPath: fixture(name), env: { BASE_URL: api.url }, baseUrl: api.url, log: quiet })

describe("the k6 shim", () => {
  it("runs both executors with k6's setup data, ids, iteration numbers, tags, metrics and thresholds", async () => {
    const { summary, teardownFailure } = await run("shim.js")
    expect(teardownFailure).toBeNull()

    // constant-arrival-rate: 20 planned starts; every started one numbered 0…n−1 across VUs, with
    // each VU's __ITER counting its own; none of them more than maxVUs.
    const open = api.echoed.map((r) => ({ n: Number(r.query["n"]), vu: Number(r.query["vu"]), iter: Number(r.query["iter"]) }))
    const dropped = summary.iterations.dropped
    expect(open.length + dropped).toBe(20)
    expect(open.map((r) => r.n).sort((a, b) => a - b)).toEqual(open.map((_, i) => i))
    const vus = [...new Set(open.map((r) => r.vu))]
    expect(vus.length).toBeLessThanOrEqual(3)
    for (const vu of vus) {
      const iters = open.filter((r) => r.vu === vu).map((r) => r.iter)
      expect(iters).toEqual(iters.map((_, i) => i))
    }

    expect(summary.checks.fails).toBe(0)
    expect(summary.checks.byName.map((c) => c.name)).toEqual([
      "echo 200",
      "headers in canonical form",
      "setup data reached the VU",
      "teardown got the setup data"
    ])
    expect(summary.metrics).toContainEqual(expect.objectContaining({ name: "arrivals", type: "counter", value: open.length }))
    expect(summary.byName.find((r) => r.name === "echo")).toMatchObject({ count: open.length, failed: 0 })

    // ramping-vus: VU 3 threw once; k6 logs it and the VU goes on.
    expect(summary.iterations.failed).toBe(1)
    expect(summary.iterations.errors[0]).toContain("thrown on purpose")
    expect(summary.iterations.completed).toBeGreaterThan(open.length)
    expect(summary.iterations.interrupted).toBe(0)

    expect(summary.thresholds.map((t) => [t.key, t.expression, t.ok])).toEqual([
      ["http_req_duration{name:echo}", "p(95)<5000", true],
      ["checks{kind:open}", "rate==1", true],
      ["http_req_failed{name:missing}", "rate==1", true],
      ["arrivals", "count>0", true],
      ["echo_waiting", "max<5000", true]
    ])
    expect(summary.thresholdsOk).toBe(true)
  })

  it("refuses a k6 module it does not implement when the script loads", async () => {
    await expect(run("unsupported-module.js")).rejects.toThrow(ScriptError)
    await expect(run("unsupported-module.js")).rejects.toThrow(/k6\/ws is not supported by the Node runner \(supported: k6, k6\/http, k6\/execution, k6\/metrics\)/)
  })

  it("fails the iteration on a parameter, function, property or behaviour it does not implement", async () => {
    const { summary } = await run("unsupported-calls.js")
    expect(summary.iterations.failed).toBe(4)
    const errors = summary.iterations.errors.join("\n")
    expect(errors).toMatch(/params.redirects is not supported by the Node runner/)
    expect(errors).toMatch(/answered a redirect, which the Node runner does not follow/)
    expect(errors).toMatch(/k6\/http: http.batch is not supported by the Node runner/)
    expect(errors).toMatch(/k6\/http: res.timings.blocked is not supported by the Node runner/)
  })
})
