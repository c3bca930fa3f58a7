import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { phaseTimeout, type SdkCall, withDeadlines } from "../../src/Llm/Deadlines.js"
import { LlmConnectionFailed } from "../../src/Llm/Errors.js"
import { timeoutsOf } from "../../src/Llm/Provider.js"
import { settle } from "./Wire.js"

/** A non-streamed call's deadlines, on `TestClock`, over a hand-made SDK call. */
const timeouts = timeoutsOf({ headersMs: 10_000, totalMs: 30_000 })
const onError = (cause: unknown) => new LlmConnectionFailed({ provider: "openai", message: String(cause), cause })

/** An SDK call whose headers and body the test settles. */
const manual = () => {
  let signal: AbortSignal | undefined
  let headers: (r: Response) => void = () => undefined
  let body: (value: string) => void = () => undefined
  const headersIn = new Promise<Response>((resolve) => (headers = resolve))
  const bodyIn = new Promise<string>((resolve) => (body = resolve))
  const send = (s: AbortSignal): SdkCall<string> => {
    signal = s
    return { asResponse: () => headersIn, then: (ok, ko) => bodyIn.then(ok, ko) }
  }
  return { send, headers: () => headers(new Response("")), body, aborted: () => signal?.aborted === true }
}

describe("non-streamed call deadlines", () => {
  it.effect("headers within headersMs, else LlmTimeout headers and the request aborted", () =>
    Effect.gen(function*() {
      const call = manual()
      const fiber = yield* Effect.fork(withDeadlines("openai", timeouts, call.send, onError))
      yield* TestClock.adjust(9_999)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust(1)
      expect(yield* Effect.flip(Fiber.join(fiber))).toMatchObject({ _tag: "LlmTimeout", phase: "headers" })
      expect(call.aborted()).toBe(true)
    }))

  it.effect("headers in time, a body past totalMs (from the start) → LlmTimeout total; in time → the answer", () =>
    Effect.gen(function*() {
      const slow = manual()
      const fiber = yield* Effect.fork(withDeadlines("openai", timeouts, slow.send, onError))
      yield* TestClock.adjust(5_000)
      slow.headers()
      yield* settle
      yield* TestClock.adjust(25_000)
      expect(yield* Effect.flip(Fiber.join(fiber))).toEqual(phaseTimeout("openai", "total", timeouts))
      expect(slow.aborted()).toBe(true)

      const quick = manual()
      const ok = yield* Effect.fork(withDeadlines("openai", timeouts, quick.send, onError))
      quick.headers()
      quick.body("the answer")
      expect(yield* Fiber.join(ok)).toBe("the answer")
      expect(quick.aborted()).toBe(false)
    }))

  it.effect("an SDK that throws before sending: a typed failure, not a defect", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(withDeadlines("anthropic", timeouts, () => {
        throw new Error("streaming is required for operations that may take longer than 10 minutes")
      }, onError))
      expect(error).toMatchObject({ _tag: "LlmConnectionFailed" })
    }))
})
