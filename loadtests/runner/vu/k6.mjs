import { post } from "./state.mjs"

/** `k6`: check, sleep and fail. Anything else imported from "k6" fails when the script loads. */

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/**
 * Runs each named check on `value`, recording a `checks` sample for each (tagged `check`), and
 * says whether all passed. A check may be a function of the value or a plain value.
 *
 * @param {unknown} value
 * @param {Record<string, unknown>} sets
 * @param {Record<string, string>} [tags]
 */
export function check(value, sets, tags = {}) {
  let all = true
  for (const [name, predicate] of Object.entries(sets)) {
    const ok = Boolean(typeof predicate === "function" ? predicate(value) : predicate)
    all &&= ok
    post({ kind: "check", name, ok, tags: { ...tags, check: name } })
  }
  return all
}

/**
 * Blocks this VU, as k6's sleep does (other VUs run on their own threads).
 *
 * @param {number} seconds
 */
export function sleep(seconds) {
  if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000)
}

/**
 * Aborts the current iteration (or setup/teardown) with this message.
 *
 * @param {string} [message]
 * @returns {never}
 */
export function fail(message = "") {
  throw new Error(message)
}
