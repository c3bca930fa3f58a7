/**
 * The messages between the runner (main thread) and its virtual users (one worker thread each).
 *
 * A k6 script calls `http.get` and expects the response back synchronously. A VU's worker posts
 * the request on its own port and blocks in `Atomics.wait` on a shared flag; the main thread
 * performs the request, posts the reply on the same port and raises the flag; the worker then
 * takes the reply with `receiveMessageOnPort`. Everything else (checks, custom metrics, the end
 * of an iteration) is posted to the main thread without waiting.
 */

import type { MessagePort } from "node:worker_threads"

export type Tags = Readonly<Record<string, string>>

export type MetricType = "counter" | "gauge" | "rate" | "trend"

/** What a worker needs to become VU `id` (0: the VU that reads options and runs setup/teardown). */
export interface VuInit {
  readonly id: number
  /** file: URL of the k6 script. */
  readonly script: string
  /** `__ENV` (the scenario's `env` already merged in). */
  readonly env: Readonly<Record<string, string>>
  readonly port: MessagePort
  /** Int32Array[1] over it: 0 while a request is pending, 1 once its reply was posted. */
  readonly flag: SharedArrayBuffer
  /** file: URLs of the shim modules by k6 module name (`k6`, `k6/http`…). */
  readonly shims: Readonly<Record<string, string>>
}

export interface ScenarioInfo {
  readonly name: string
  readonly executor: string
  readonly startTime: number
}

export type ToVu =
  /** The setup data, JSON-encoded once; handed to every exec function and to teardown. */
  | { readonly kind: "data"; readonly json: string }
  | {
    readonly kind: "run"
    /** The exported function to call. */
    readonly exec: string
    /** Pass the setup data as the first argument (not for setup itself). */
    readonly withData: boolean
    /** Send the return value back, JSON-encoded (setup's data). */
    readonly returnResult: boolean
    /** `__ITER`: this VU's iterations in this scenario so far. */
    readonly iteration: number
    /** `exec.scenario.iterationInTest`: the scenario's iterations started so far, every VU together. */
    readonly iterationInTest: number
    readonly scenario: ScenarioInfo | null
  }

export type FromVu =
  /** The script's init context ran: its options and the names of its exported functions. */
  | { readonly kind: "ready"; readonly options: unknown; readonly functions: ReadonlyArray<string> }
  | { readonly kind: "initError"; readonly message: string }
  | { readonly kind: "done"; readonly error: string | null; readonly durationMs: number; readonly result: string | null }
  | { readonly kind: "check"; readonly name: string; readonly ok: boolean; readonly tags: Tags }
  /** A custom metric declared (`new Counter(name)`…), in the init context as k6 requires. */
  | { readonly kind: "define"; readonly name: string; readonly type: MetricType; readonly isTime: boolean }
  | { readonly kind: "metric"; readonly name: string; readonly value: number; readonly tags: Tags }

/** A request as the script made it; the main thread validates what the worker could not. */
export interface HttpCall {
  readonly method: string
  readonly url: string
  readonly body: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly tags: Tags
  /** `params.timeout`: milliseconds or a k6 duration string; k6's default is 60 s. */
  readonly timeout: string | number | null
}

export type HttpReply =
  | {
    readonly kind: "response"
    /** 0 when no response came (connection refused, timeout). */
    readonly status: number
    readonly body: string
    /** Canonical names (`Content-Type`), as k6 gives them. */
    readonly headers: Readonly<Record<string, string>>
    readonly timings: { readonly duration: number; readonly waiting: number }
    readonly error: string
    /** k6's codes for the cases the runner can tell apart: 1050 timeout, 1000 any other failure. */
    readonly errorCode: number
    readonly url: string
  }
  /** The call itself was invalid (an unsupported parameter): the script gets an exception. */
  | { readonly kind: "invalid"; readonly message: string }
