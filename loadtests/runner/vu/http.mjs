import { request as send, vu } from "./state.mjs"
import { strict } from "./strict.mjs"

/**
 * `k6/http`: request, get, post, put, patch and del, synchronous as in k6. Parameters: `headers`,
 * `tags` (`name` groups URLs in the summary, as in k6) and `timeout`; any other parameter, and a
 * body that is not a string (k6 would form-encode an object), is an error. Responses have status,
 * body, headers, timings (duration, waiting), error, error_code, url, request and json(); reading
 * anything else throws, as does calling a k6/http function the runner lacks (batch, asyncRequest…).
 *
 * @typedef {import("../Protocol.js").HttpReply} HttpReply
 * @typedef {{ headers?: Record<string, string>, tags?: Record<string, string>, timeout?: string | number }} Params
 */

const paramKeys = ["headers", "tags", "timeout"]

class Response {
  /** @param {Extract<HttpReply, { kind: "response" }>} reply @param {string} method */
  constructor(reply, method) {
    this.status = reply.status
    this.body = reply.body
    this.headers = reply.headers
    this.timings = strict("k6/http: res.timings", { ...reply.timings })
    this.error = reply.error
    this.error_code = reply.errorCode
    this.url = reply.url
    this.request = { method, url: reply.url }
  }

  /** The body parsed as JSON (k6's selector argument is not supported). */
  json(/** @type {unknown[]} */ ...selector) {
    if (selector.length > 0) throw new Error("k6/http: res.json(selector) is not supported by the Node runner")
    return JSON.parse(this.body)
  }
}

/**
 * @param {string} method
 * @param {string} url
 * @param {unknown} [body]
 * @param {Params} [params]
 */
export function request(method, url, body = null, params = {}) {
  if (!vu.initialized) throw new Error("k6/http: making requests in the init context is not supported (k6 refuses it too)")
  for (const key of Object.keys(params)) {
    if (!paramKeys.includes(key)) throw new Error(`k6/http: params.${key} is not supported by the Node runner (supported: ${paramKeys.join(", ")})`)
  }
  if (body !== null && body !== undefined && typeof body !== "string") {
    throw new Error("k6/http: only string bodies are supported by the Node runner (JSON.stringify the body)")
  }
  const reply = send({
    method: method.toUpperCase(),
    url: String(url),
    body: body ?? null,
    headers: params.headers ?? {},
    tags: params.tags ?? {},
    timeout: params.timeout ?? null
  })
  if (reply.kind === "invalid") throw new Error(reply.message)
  return strict("k6/http: res", new Response(reply, method.toUpperCase()))
}

/** @param {string} url @param {Params} [params] */
export const get = (url, params) => request("GET", url, null, params)
/** @param {string} url @param {unknown} [body] @param {Params} [params] */
export const post = (url, body, params) => request("POST", url, body, params)
/** @param {string} url @param {unknown} [body] @param {Params} [params] */
export const put = (url, body, params) => request("PUT", url, body, params)
/** @param {string} url @param {unknown} [body] @param {Params} [params] */
export const patch = (url, body, params) => request("PATCH", url, body, params)
/** @param {string} url @param {unknown} [body] @param {Params} [params] */
export const del = (url, body, params) => request("DELETE", url, body, params)

export default strict("k6/http: http", { request, get, post, put, patch, del })
