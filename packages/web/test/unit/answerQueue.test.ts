import { describe, expect, it } from "vitest"
import { type AnswerQueue, backoffDelay, createAnswerQueue, type SendOutcome } from "../../src/features/assess/answerQueue.js"
import { type AnswerStore, browserAnswerStore, memoryAnswerStore, type QueuedAnswer } from "../../src/features/assess/answerStore.js"

/** A hand-driven clock and timer list: nothing waits for real time. */
const fakeClock = () => {
  let now = 1_000_000
  const timers: Array<{ at: number; f: () => void; id: number }> = []
  let nextId = 1
  return {
    now: () => now,
    setTimer: (f: () => void, ms: number) => {
      const id = nextId++
      timers.push({ at: now + ms, f, id })
      return id
    },
    clearTimer: (handle: unknown) => {
      const i = timers.findIndex((t) => t.id === handle)
      if (i >= 0) timers.splice(i, 1)
    },
    advance: async (ms: number) => {
      now += ms
      for (;;) {
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0]
        if (due === undefined) break
        timers.splice(timers.indexOf(due), 1)
        due.f()
        await settle()
      }
    },
    pending: () => timers.length
  }
}

/** Lets promise callbacks run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

/** A `send` whose answers the test decides, one call at a time. */
const controlledSend = () => {
  const calls: Array<{ answer: QueuedAnswer; resolve: (outcome: SendOutcome) => void }> = []
  const send = (answer: QueuedAnswer) => new Promise<SendOutcome>((resolve) => calls.push({ answer, resolve }))
  return { send, calls }
}

const setup = (store: AnswerStore = memoryAnswerStore()) => {
  const clock = fakeClock()
  const { send, calls } = controlledSend()
  let keys = 0
  const saved: Array<QueuedAnswer> = []
  const rejected: Array<QueuedAnswer> = []
  const retries: Array<number> = []
  const queue: AnswerQueue = createAnswerQueue({
    store,
    send,
    newKey: () => `key-${++keys}`,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => 0.5,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    onSaved: (a) => saved.push(a),
    onRejected: (a) => rejected.push(a),
    onRetry: (_a, _e, delay) => retries.push(delay)
  })
  return { queue, clock, calls, saved, rejected, retries, store }
}

const ok: SendOutcome = { _tag: "saved" }
const offline: SendOutcome = { _tag: "retry", error: new TypeError("Failed to fetch") }

describe("answer queue", () => {
  it("sends an answer at once with a fresh idempotency key and reports it saved", async () => {
    const { queue, calls, saved, store } = setup()
    queue.give("q01", 4)
    expect(calls.map((c) => c.answer)).toEqual([{ questionId: "q01", value: 4, key: "key-1", givenAt: 1_000_000 }])
    expect(queue.snapshot().states).toEqual({ q01: "saving" })
    calls[0]!.resolve(ok)
    await settle()
    expect(saved.map((a) => a.value)).toEqual([4])
    expect(queue.snapshot()).toEqual({ pending: [], states: { q01: "saved" }, retryAt: undefined })
    expect(store.read()).toEqual([])
  })

  it("a repeated value while it waits is the same answer: one request, one key (a double click)", async () => {
    const { queue, calls } = setup()
    const first = queue.give("q01", 3)
    const again = queue.give("q01", 3)
    expect(again).toBe(first)
    calls[0]!.resolve(ok)
    await settle()
    expect(calls).toHaveLength(1)
  })

  it("keeps only the last value per question, sent after the one in flight, with a new key", async () => {
    const { queue, calls, store } = setup()
    queue.give("q01", 2)
    queue.give("q01", 5)
    queue.give("q01", 1)
    expect(store.read().map((a) => [a.questionId, a.value, a.key])).toEqual([["q01", 1, "key-3"]])
    expect(calls).toHaveLength(1)
    calls[0]!.resolve(ok)
    await settle()
    // The in-flight 2 landed; the waiting 1 (not the superseded 5) goes next, so the server ends on 1.
    expect(calls.map((c) => [c.answer.value, c.answer.key])).toEqual([[2, "key-1"], [1, "key-3"]])
    calls[1]!.resolve(ok)
    await settle()
    expect(store.read()).toEqual([])
  })

  it("sends one request at a time, oldest answer first", async () => {
    const { queue, calls, clock } = setup()
    queue.give("q01", 1)
    await clock.advance(10)
    queue.give("q02", 2)
    await clock.advance(10)
    queue.give("q03", 3)
    expect(calls).toHaveLength(1)
    for (let i = 0; i < 3; i++) {
      calls[i]!.resolve(ok)
      await settle()
    }
    expect(calls.map((c) => c.answer.questionId)).toEqual(["q01", "q02", "q03"])
  })

  it("retries a failed answer with the same key after a growing, capped backoff", async () => {
    const { queue, calls, clock, retries } = setup()
    queue.give("q01", 4)
    for (let attempt = 0; attempt < 5; attempt++) {
      calls[attempt]!.resolve(offline)
      await settle()
      expect(queue.snapshot().states["q01"]).toBe("queued")
      await clock.advance(retries[attempt]!)
    }
    // Equal jitter at random 0.5: three quarters of 1, 2, 4, 8 (the cap), 8 seconds.
    expect(retries).toEqual([750, 1500, 3000, 6000, 6000])
    expect(new Set(calls.map((c) => c.answer.key))).toEqual(new Set(["key-1"]))
    calls[5]!.resolve(ok)
    await settle()
    expect(queue.snapshot().states["q01"]).toBe("saved")
  })

  it("honours the server's Retry-After", async () => {
    const { queue, calls, retries, clock } = setup()
    queue.give("q01", 4)
    calls[0]!.resolve({ _tag: "retry", error: "429", afterMs: 5000 })
    await settle()
    expect(retries).toEqual([5000])
    expect(queue.snapshot().retryAt).toBe(clock.now() + 5000)
  })

  it("answers given while waiting to retry are queued, then all go when flushed (back online)", async () => {
    const { queue, calls, clock } = setup()
    queue.give("q01", 4)
    calls[0]!.resolve(offline)
    await settle()
    queue.give("q02", 2)
    queue.give("q03", 5)
    expect(calls).toHaveLength(1)
    expect(queue.snapshot().states).toEqual({ q01: "queued", q02: "queued", q03: "queued" })
    queue.flush()
    expect(clock.pending()).toBe(0)
    for (let i = 1; i <= 3; i++) {
      calls[i]!.resolve(ok)
      await settle()
    }
    expect(calls.slice(1).map((c) => [c.answer.questionId, c.answer.key])).toEqual([
      ["q01", "key-1"],
      ["q02", "key-2"],
      ["q03", "key-3"]
    ])
    expect(queue.snapshot().pending).toEqual([])
  })

  it("drops an answer the server refuses for good and reports it", async () => {
    const { queue, calls, rejected, store } = setup()
    queue.give("q01", 4)
    queue.give("q02", 4)
    calls[0]!.resolve({ _tag: "rejected", error: { _tag: "AssessmentCompleted" } })
    await settle()
    expect(rejected.map((a) => a.questionId)).toEqual(["q01"])
    expect(queue.snapshot().states["q01"]).toBe("failed")
    expect(store.read().map((a) => a.questionId)).toEqual(["q02"])
    expect(calls).toHaveLength(2)
  })

  it("treats a send that throws as a failure worth retrying", async () => {
    const store = memoryAnswerStore()
    const clock = fakeClock()
    let attempts = 0
    const queue = createAnswerQueue({
      store,
      send: async () => {
        attempts++
        if (attempts === 1) throw new Error("boom")
        return ok
      },
      newKey: () => "k",
      now: clock.now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
      random: () => 0
    })
    queue.give("q01", 1)
    await settle()
    expect(queue.snapshot().states["q01"]).toBe("queued")
    await clock.advance(500)
    expect(attempts).toBe(2)
    expect(queue.snapshot().states["q01"]).toBe("saved")
  })

  it("persists what waits, and a new queue over the same storage (a reload) sends it with its original key", async () => {
    const storage = new Map<string, string>()
    const fakeStorage = {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k)
    } as Storage
    const first = setup(browserAnswerStore("answers", fakeStorage))
    first.queue.give("q01", 2)
    first.calls[0]!.resolve(offline)
    await settle()
    first.queue.give("q02", 5)
    first.queue.dispose()
    expect(JSON.parse(storage.get("answers")!)).toHaveLength(2)

    // The page is reloaded: a new queue finds both and sends them (without any new answer).
    const second = setup(browserAnswerStore("answers", fakeStorage))
    await settle()
    expect(second.calls.map((c) => [c.answer.questionId, c.answer.value, c.answer.key])).toEqual([["q01", 2, "key-1"]])
    second.calls[0]!.resolve(ok)
    await settle()
    second.calls[1]!.resolve(ok)
    await settle()
    expect(second.calls.map((c) => c.answer.key)).toEqual(["key-1", "key-2"])
    expect(storage.has("answers")).toBe(false)
  })

  it("does not remove an answer given meanwhile in another tab (same storage, newer key)", async () => {
    const store = memoryAnswerStore()
    const { queue, calls } = setup(store)
    queue.give("q01", 2)
    // Another tab answers q01 again while this tab's request is in flight.
    store.write([{ questionId: "q01", value: 4, key: "other-tab", givenAt: 2_000_000 }])
    calls[0]!.resolve(ok)
    await settle()
    expect(calls.map((c) => c.answer.key)).toEqual(["key-1", "other-tab"])
  })

  it("stops sending once disposed, keeping what waits", async () => {
    const { queue, calls, clock, store } = setup()
    queue.give("q01", 3)
    calls[0]!.resolve(offline)
    await settle()
    queue.dispose()
    await clock.advance(60_000)
    expect(calls).toHaveLength(1)
    expect(store.read()).toHaveLength(1)
  })
})

describe("backoff", () => {
  it("doubles from the base up to the cap, with half of it random", () => {
    expect([1, 2, 3, 4, 5, 6].map((f) => backoffDelay(f, 1000, 30_000, 1))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000])
    expect(backoffDelay(3, 1000, 30_000, 0)).toBe(2000)
  })
})

describe("answer store", () => {
  it("reads unreadable content as empty and survives storage that throws", () => {
    const broken = {
      getItem: () => {
        throw new Error("SecurityError")
      },
      setItem: () => {
        throw new Error("QuotaExceededError")
      },
      removeItem: () => undefined
    } as unknown as Storage
    const store = browserAnswerStore("k", broken)
    store.write([{ questionId: "q01", value: 1, key: "a", givenAt: 1 }])
    expect(store.read()).toEqual([{ questionId: "q01", value: 1, key: "a", givenAt: 1 }])

    const garbage = { getItem: () => "{not json", setItem: () => undefined, removeItem: () => undefined } as unknown as Storage
    expect(browserAnswerStore("k", garbage).read()).toEqual([])
  })
})
