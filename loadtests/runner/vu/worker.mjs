import { register } from "node:module"
import { performance } from "node:perf_hooks"
import { URL } from "node:url"
import { parentPort, workerData } from "node:worker_threads"
import { post, vu } from "./state.mjs"

/**
 * One virtual user: a worker thread that loads the k6 script (its init context runs here, once
 * per VU, as in k6) with the k6 modules mapped to the shims, then runs what the main thread asks,
 * one call at a time. The calls block this thread only.
 *
 * @typedef {import("../Protocol.js").VuInit} VuInit
 * @typedef {import("../Protocol.js").ToVu} ToVu
 */

const init = /** @type {VuInit} */ (workerData)
register(new URL("./hooks.mjs", import.meta.url), { data: { shims: init.shims } })
vu.id = init.id
vu.port = init.port
vu.flag = new Int32Array(init.flag)

/** @param {unknown} error */
const describe = (error) => (error instanceof Error ? error.stack ?? error.message : String(error))

const globals = /** @type {Record<string, unknown>} */ (globalThis)
globals["__ENV"] = { ...init.env }
globals["__VU"] = init.id
globals["__ITER"] = 0

/** @param {Record<string, unknown>} script */
const serve = (script) => {
  /** @type {unknown} */
  let data
  parentPort?.on("message", async (/** @type {ToVu} */ message) => {
    if (message.kind === "data") {
      data = JSON.parse(message.json)
      return
    }
    vu.scenario = message.scenario
    vu.iteration = message.iteration
    vu.iterationInTest = message.iterationInTest
    globals["__ITER"] = message.iteration
    const started = performance.now()
    /** @type {string | null} */
    let error = null
    /** @type {unknown} */
    let result
    try {
      const fn = /** @type {(data?: unknown) => unknown} */ (script[message.exec])
      result = message.withData ? fn(data) : fn()
      // k6 allows async exec functions; their http calls still block, so this only waits for the rest.
      if (result instanceof Promise) result = await result
    } catch (thrown) {
      error = describe(thrown)
    }
    post({
      kind: "done",
      error,
      durationMs: performance.now() - started,
      result: message.returnResult && result !== undefined ? JSON.stringify(result) : null
    })
  })
}

try {
  /** @type {Record<string, unknown>} */
  const script = await import(init.script)
  vu.initialized = true
  post({
    kind: "ready",
    options: script["options"],
    functions: Object.keys(script).filter((name) => typeof script[name] === "function")
  })
  serve(script)
} catch (error) {
  // Nothing else keeps this worker alive: it ends once the message is out.
  post({ kind: "initError", message: describe(error) })
}
