import { MessageChannel, Worker } from "node:worker_threads"
import { ScriptError } from "./Errors.js"
import { perform } from "./HttpClient.js"
import type { Metrics } from "./Metrics.js"
import type { FromVu, HttpCall, HttpReply, Tags, ToVu, VuInit } from "./Protocol.js"

/**
 * The main thread's handle on one virtual user (a worker thread running vu/worker.mjs): starts it,
 * answers its HTTP requests (recording k6's http_* metrics with the VU's tags), records its checks
 * and custom metrics, and runs one call at a time on it.
 */

const workerUrl = new URL("./vu/worker.mjs", import.meta.url)

export const shims: Readonly<Record<string, string>> = {
  k6: new URL("./vu/k6.mjs", import.meta.url).href,
  "k6/http": new URL("./vu/http.mjs", import.meta.url).href,
  "k6/execution": new URL("./vu/execution.mjs", import.meta.url).href,
  "k6/metrics": new URL("./vu/metrics.mjs", import.meta.url).href
}

export interface Ready {
  readonly options: unknown
  readonly functions: ReadonlyArray<string>
}

export type Outcome =
  | { readonly kind: "done"; readonly error: string | null; readonly durationMs: number; readonly result: string | null }
  /** The VU was stopped in the middle of the call (graceful stop exceeded). */
  | { readonly kind: "interrupted" }

export interface VuOptions {
  readonly script: string
  readonly env: Readonly<Record<string, string>>
  readonly metrics: Metrics
}

type RunMessage = Extract<ToVu, { kind: "run" }>

/** k6's default expected statuses: 200–399 (a status of 0, no response, is a failure). */
const expected = (status: number) => status >= 200 && status < 400

export class Vu {
  /** Tags on every sample this VU records from now on (its scenario's, or setup's group). */
  tags: Tags = {}
  private pending: ((outcome: Outcome) => void) | null = null
  private stopped = false

  private constructor(readonly id: number, private readonly worker: Worker) {}

  /** A new VU with its init context run; a failing init context is a ScriptError. */
  static start(id: number, options: VuOptions): Promise<{ readonly vu: Vu; readonly ready: Ready }> {
    const { port1, port2 } = new MessageChannel()
    const flag = new SharedArrayBuffer(4)
    const init: VuInit = { id, script: options.script, env: options.env, port: port2, flag, shims }
    // No execArgv: the VU runs plain JavaScript, without the TypeScript loader the runner uses.
    const worker = new Worker(workerUrl, { execArgv: [], workerData: init, transferList: [port2] })
    const vu = new Vu(id, worker)
    const wake = new Int32Array(flag)
    port1.on("message", (call: HttpCall) => {
      void perform(call).then((reply) => {
        vu.recordHttp(call, reply, options.metrics)
        port1.postMessage(reply)
        Atomics.store(wake, 0, 1)
        Atomics.notify(wake, 0)
      })
    })
    return new Promise((resolve, reject) => {
      let ready = false
      worker.on("message", (message: FromVu) => {
        try {
          switch (message.kind) {
            case "ready":
              ready = true
              return resolve({ vu, ready: { options: message.options, functions: message.functions } })
            case "initError":
              void worker.terminate()
              return reject(new ScriptError(`the init context of VU ${id} failed: ${message.message}`))
            case "define":
              return options.metrics.define(message.name, message.type, message.isTime)
            case "check":
              return options.metrics.add("checks", message.ok ? 1 : 0, { ...vu.tags, ...message.tags })
            case "metric":
              return options.metrics.add(message.name, message.value, { ...vu.tags, ...message.tags })
            case "done": {
              const settle = vu.pending
              vu.pending = null
              return settle?.({ kind: "done", error: message.error, durationMs: message.durationMs, result: message.result })
            }
          }
        } catch (error) {
          // A metric declared twice with different types: nothing the run can go on with.
          void worker.terminate()
          reject(error)
        }
      })
      worker.on("error", (error) => {
        if (!ready) reject(new ScriptError(`VU ${id} failed: ${error.stack ?? error.message}`))
        else vu.settleInterrupted()
      })
      worker.on("exit", () => {
        port1.close()
        if (!ready) reject(new ScriptError(`VU ${id} exited during its init context`))
        vu.settleInterrupted()
      })
    })
  }

  setData(json: string): void {
    this.post({ kind: "data", json })
  }

  /** Runs one exported function; at most one call at a time. */
  run(message: Omit<RunMessage, "kind">): Promise<Outcome> {
    if (this.pending !== null) throw new Error(`VU ${this.id} is busy`)
    if (this.stopped) return Promise.resolve({ kind: "interrupted" })
    return new Promise((resolve) => {
      this.pending = resolve
      this.post({ kind: "run", ...message })
    })
  }

  /** Stops the VU now, interrupting its call if one is running. */
  async stop(): Promise<void> {
    this.stopped = true
    await this.worker.terminate()
    this.settleInterrupted()
  }

  private post(message: ToVu) {
    this.worker.postMessage(message)
  }

  private settleInterrupted() {
    this.stopped = true
    const settle = this.pending
    this.pending = null
    settle?.({ kind: "interrupted" })
  }

  private recordHttp(call: HttpCall, reply: HttpReply, metrics: Metrics) {
    if (reply.kind === "invalid") return
    const ok = expected(reply.status)
    const tags: Tags = {
      ...this.tags,
      name: call.url,
      url: call.url,
      method: call.method,
      status: String(reply.status),
      expected_response: String(ok),
      ...call.tags
    }
    metrics.add("http_reqs", 1, tags)
    metrics.add("http_req_duration", reply.timings.duration, tags)
    metrics.add("http_req_waiting", reply.timings.waiting, tags)
    metrics.add("http_req_failed", ok ? 0 : 1, tags)
  }
}
