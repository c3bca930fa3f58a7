import { parentPort, receiveMessageOnPort } from "node:worker_threads"

/**
 * What the shim modules of one VU share: who it is, what it is running now, and the way to the
 * main thread. Filled in by worker.mjs before the script is imported.
 *
 * @typedef {import("../Protocol.js").FromVu} FromVu
 * @typedef {import("../Protocol.js").HttpCall} HttpCall
 * @typedef {import("../Protocol.js").HttpReply} HttpReply
 * @typedef {import("../Protocol.js").ScenarioInfo} ScenarioInfo
 * @typedef {import("node:worker_threads").MessagePort} MessagePort
 */

export const vu = {
  id: 0,
  /** @type {MessagePort | null} */
  port: null,
  /** @type {Int32Array} */
  flag: new Int32Array(1),
  /** @type {ScenarioInfo | null} */
  scenario: null,
  iteration: 0,
  iterationInTest: 0,
  /** Set once the init context has run: k6 allows declaring metrics only before. */
  initialized: false
}

/** @param {FromVu} message */
export const post = (message) => parentPort?.postMessage(message)

/** How long a woken VU looks for a reply that is not on its port yet. */
const replyGraceMs = 5_000

/**
 * One HTTP request, synchronously: posted to the main thread, which raises the flag once the
 * reply is on the port.
 *
 * @param {HttpCall} call
 * @returns {HttpReply}
 */
export const request = (call) => {
  const port = vu.port
  if (port === null) throw new Error("k6/http: no connection to the runner")
  Atomics.store(vu.flag, 0, 0)
  port.postMessage(call)
  Atomics.wait(vu.flag, 0, 0)
  // The main thread raises the flag only after posting the reply, yet once (CI, a loaded
  // machine) the VU woke and found the port empty. Rather than fail the script, look again for
  // a while: the reply is on its way, and a wait of 1 ms at a time costs nothing when it is not.
  for (let waitedMs = 0; ; waitedMs++) {
    const received = receiveMessageOnPort(port)
    if (received !== undefined) return /** @type {HttpReply} */ (received.message)
    if (waitedMs >= replyGraceMs) throw new Error("k6/http: the runner woke the VU without a reply")
    Atomics.wait(vu.flag, 0, Atomics.load(vu.flag, 0), 1)
  }
}
