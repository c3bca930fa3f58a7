import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Exit, Fiber, Option, Stream, TestClock } from "effect"
import type { LlmError } from "../../src/Llm/Errors.js"
import { timeoutsOf, type StreamEvent } from "../../src/Llm/Provider.js"
import { openSse, SseDecoder, sseStream } from "../../src/Llm/SseStream.js"
import { event, makeWire, nextTurn, settle } from "./Wire.js"

/**
 * The streamed request's reader, over an in-memory wire, with `TestClock`: every deadline
 * (headers, first token, idle, total) fires exactly when the clock says, never on real time.
 */
const timeouts = timeoutsOf({ headersMs: 10_000, firstTokenMs: 20_000, idleMs: 5_000, totalMs: 60_000 })

interface Run {
  readonly events: Array<StreamEvent>
  readonly fiber: Fiber.RuntimeFiber<void, LlmError>
}

/** Consumes `stream` in a fiber, recording what it emits. */
const consume = (stream: Stream.Stream<StreamEvent, LlmError>) =>
  Effect.gen(function*() {
    const events: Array<StreamEvent> = []
    const fiber = yield* Effect.fork(Stream.runForEach(stream, (e) => Effect.sync(() => void events.push(e))))
    yield* settle
    return { events, fiber } satisfies Run
  })

const texts = (events: ReadonlyArray<StreamEvent>) => events.flatMap((e) => (e._tag === "Delta" ? [e.text] : []))

const failure = (exit: Option.Option<Exit.Exit<void, LlmError>>) =>
  Option.isSome(exit) && Exit.isFailure(exit.value) && exit.value.cause._tag === "Fail" ? exit.value.cause.error : undefined

/** Whether the fiber is done, after letting pending callbacks run. */
const poll = (run: Run) => Effect.zipRight(settle, Fiber.poll(run.fiber))

describe("SSE decoder", () => {
  it("splits on \\n, \\r\\n and \\r, joins data lines, skips comments and keeps events cut across pushes", () => {
    const decoder = new SseDecoder()
    const bytes = (s: string) => new TextEncoder().encode(s)
    expect(decoder.push(bytes(": comment\nevent: a\ndata: 1\ndata: 2\n\ndata: x\r\n\r"))).toEqual([
      { event: "a", data: "1\n2" }
    ])
    expect(decoder.push(bytes("\ndata:y"))).toEqual([{ event: undefined, data: "x" }])
    // Cut off by the end of the body: dropped, as the spec says.
    expect(decoder.end()).toEqual([])
  })
})

describe("SSE stream: wire behaviour", () => {
  it.scoped("text deltas, then Done at the terminator; a finished body is neither cancelled nor aborted", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.respond()
      wire.send(event("Hello") + event("ping") + event(" there"))
      yield* settle
      wire.send(event("[DONE]"))
      wire.end()
      const exit = yield* Fiber.await(run.fiber)
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(run.events).toEqual([
        { _tag: "Delta", text: "Hello" },
        { _tag: "Delta", text: " there" },
        { _tag: "Done", finishReason: "stop", usage: { inputTokens: 3, outputTokens: 5 } }
      ])
      yield* settle
      expect(wire.aborted()).toBe(false)
      expect(wire.cancelled()).toBe(false)
    }))

  it.scoped("a body that ends without its terminator is an interruption, with the deltas received so far", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.respond()
      wire.send(event("a") + event("b"))
      wire.end()
      const exit = yield* Fiber.await(run.fiber)
      expect(texts(run.events)).toEqual(["a", "b"])
      expect(run.events.some((e) => e._tag === "Done")).toBe(false)
      expect(failure(Option.some(exit))).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 2 })
    }))

  it.scoped("a malformed event: the deltas before it go out, then LlmStreamInterrupted", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.respond()
      wire.send(event("a") + event("{\"text\":"))
      const exit = yield* Fiber.await(run.fiber)
      expect(texts(run.events)).toEqual(["a"])
      expect(failure(Option.some(exit))).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 1 })
      expect(wire.cancelled() || wire.aborted()).toBe(true)
    }))

  it.scoped("a socket error mid-stream and an in-band error event", () =>
    Effect.gen(function*() {
      const broken = makeWire()
      const run = yield* consume(sseStream(broken.options(timeouts)))
      broken.respond()
      broken.send(event("a"))
      yield* settle
      broken.break(new Error("ECONNRESET"))
      const exit = yield* Fiber.await(run.fiber)
      expect(failure(Option.some(exit))).toMatchObject({ _tag: "LlmStreamInterrupted", receivedChunks: 1 })
      expect((failure(Option.some(exit)) as LlmError).message).toContain("ECONNRESET")

      const inBand = makeWire()
      const second = yield* consume(sseStream(inBand.options(timeouts, "anthropic")))
      inBand.respond()
      inBand.send(event("a") + event("overloaded"))
      expect(failure(Option.some(yield* Fiber.await(second.fiber)))).toMatchObject({ _tag: "LlmOverloaded", provider: "anthropic" })
      expect(texts(second.events)).toEqual(["a"])
    }))

  it.scoped("a request that fails before its headers is mapped by openError", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.refuse(new Error("connect ECONNREFUSED"))
      expect(failure(Option.some(yield* Fiber.await(run.fiber)))).toMatchObject({ _tag: "LlmConnectionFailed" })
      expect(run.events).toEqual([])
    }))

  it.scoped("an SDK that refuses the request before sending it: a typed failure, not a defect", () =>
    Effect.gen(function*() {
      const options = {
        ...makeWire().options(timeouts),
        open: (): Promise<Response> => {
          throw new Error("max_tokens is too large for a non-streamed request")
        }
      }
      const exit = yield* Effect.exit(Stream.runDrain(sseStream(options)))
      expect(failure(Option.some(exit))).toMatchObject({ _tag: "LlmConnectionFailed" })
    }))

  it.scoped("a consumer that stops early cancels the body and aborts the request", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const fiber = yield* Effect.fork(Stream.runCollect(Stream.take(sseStream(wire.options(timeouts)), 1)))
      yield* settle
      wire.respond()
      wire.send(event("a") + event("b"))
      expect(Chunk.toReadonlyArray(yield* Fiber.join(fiber))).toEqual([{ _tag: "Delta", text: "a" }])
      yield* settle
      expect(wire.cancelled()).toBe(true)
      expect(wire.aborted()).toBe(true)
    }))

  it.scoped("as a pull: the same events, then Option.none at the end", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const pull = yield* openSse(wire.options(timeouts))
      wire.respond()
      wire.send(event("a") + event("[DONE]"))
      wire.end()
      const first = yield* pull
      expect(Chunk.toReadonlyArray(first).map((e) => e._tag)).toEqual(["Delta", "Done"])
      expect(yield* Effect.flip(pull)).toEqual(Option.none())
    }))
})

describe("SSE stream: deadlines on the Clock", () => {
  it.scoped("headers: none within headersMs → LlmTimeout headers, and the request is aborted at once", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      yield* TestClock.adjust(timeouts.headersMs - 1)
      expect(Option.isNone(yield* poll(run))).toBe(true)
      yield* TestClock.adjust(1)
      const exit = yield* poll(run)
      expect(failure(exit)).toMatchObject({ _tag: "LlmTimeout", phase: "headers", provider: "openai" })
      expect(wire.aborted()).toBe(true)
    }))

  it.scoped("first token: measured from the headers; events without text (pings) do not reset it", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      yield* TestClock.adjust(4_000)
      wire.respond()
      yield* settle
      for (let i = 0; i < 3; i++) {
        yield* TestClock.adjust(6_000)
        wire.send(event("ping"))
        yield* settle
      }
      // 18 s after the headers: still waiting.
      expect(Option.isNone(yield* poll(run))).toBe(true)
      yield* TestClock.adjust(2_000)
      const exit = yield* poll(run)
      expect(failure(exit)).toMatchObject({ _tag: "LlmTimeout", phase: "first-token" })
      expect(run.events).toEqual([])
      expect(wire.aborted()).toBe(true)
    }))

  it.scoped("idle: once text flows, each chunk must come within idleMs of the read before", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.respond()
      wire.send(event("a"))
      yield* settle
      // Chunks 4.9 s apart keep it alive, well past one idleMs in all.
      for (const text of ["b", "c", "d"]) {
        yield* TestClock.adjust(4_900)
        wire.send(event(text))
        yield* settle
      }
      expect(Option.isNone(yield* poll(run))).toBe(true)
      yield* TestClock.adjust(4_999)
      expect(Option.isNone(yield* poll(run))).toBe(true)
      yield* TestClock.adjust(1)
      const exit = yield* poll(run)
      expect(failure(exit)).toMatchObject({ _tag: "LlmTimeout", phase: "idle" })
      expect(texts(run.events)).toEqual(["a", "b", "c", "d"])
      expect(wire.aborted()).toBe(true)
    }))

  it.scoped("total: a stream that keeps flowing but never ends fails at totalMs, whatever the phase", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const run = yield* consume(sseStream(wire.options(timeouts)))
      wire.respond()
      for (let t = 0; t < 59_000; t += 4_000) {
        wire.send(event("x"))
        yield* settle
        yield* TestClock.adjust(4_000)
      }
      const exit = yield* poll(run)
      expect(failure(exit)).toMatchObject({ _tag: "LlmTimeout", phase: "total" })
      expect(run.events.length).toBe(15)
      expect((failure(exit) as LlmError).message).toBe("openai: no complete answer within 60000 ms")
    }))

  it.scoped("a slow consumer is not an idle provider: the idle deadline starts with each read", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const pull = yield* openSse(wire.options(timeouts))
      wire.respond()
      wire.send(event("a"))
      expect(Chunk.toReadonlyArray(yield* pull).map((e) => e._tag)).toEqual(["Delta"])
      // The caller takes 3 × idleMs before asking for more; the provider had sent it meanwhile.
      wire.send(event("b"))
      yield* TestClock.adjust(3 * timeouts.idleMs)
      yield* settle
      expect(Chunk.toReadonlyArray(yield* pull)).toEqual([{ _tag: "Delta", text: "b" }])
      const next = yield* Effect.fork(pull)
      yield* settle
      yield* TestClock.adjust(timeouts.idleMs)
      expect(yield* Effect.flip(Fiber.join(next))).toMatchObject(Option.some({ _tag: "LlmTimeout", phase: "idle" }))
    }))

  it.scoped("a deadline already past when a read starts fails it at once (total, with a slow consumer)", () =>
    Effect.gen(function*() {
      const wire = makeWire()
      const pull = yield* openSse(wire.options(timeouts))
      wire.respond()
      wire.send(event("a"))
      yield* pull
      yield* TestClock.adjust(timeouts.totalMs)
      const done = yield* Deferred.make<Option.Option<LlmError>>()
      yield* Effect.fork(Effect.flatMap(Effect.flip(pull), (e) => Deferred.succeed(done, e)))
      yield* nextTurn
      expect(yield* Deferred.await(done)).toMatchObject(Option.some({ _tag: "LlmTimeout", phase: "total" }))
    }))
})
