import { describe, expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Fiber, Queue, Ref, Stream, TestClock } from "effect"
import { makeLiveRuns } from "../../src/Coaching/Live.js"

type Event = { readonly n: number; readonly last?: boolean }

const options = { grace: "1 second", isLast: (e: Event) => e.last === true, broken: { n: -1, last: true } } as const

/** A run fed by hand: what the test offers, the followers see; `interrupted` records an abort. */
const controlledRun = Effect.gen(function*() {
  const feed = yield* Queue.unbounded<Event>()
  const starts = yield* Ref.make(0)
  const interrupted = yield* Deferred.make<void>()
  let generations = 0
  const start = () =>
    Stream.fromQueue(feed).pipe(
      Stream.onStart(Ref.update(starts, (n) => n + 1)),
      Stream.takeUntil(options.isLast),
      Stream.ensuringWith((exit) => (exit._tag === "Failure" ? Deferred.succeed(interrupted, undefined) : Effect.void))
    )
  return { feed, starts, interrupted, start, newGeneration: () => `g${++generations}` }
})

describe("live coaching runs", () => {
  it.scoped("serves every follower from one run, replaying what a late joiner missed", () =>
    Effect.gen(function*() {
      const runs = yield* makeLiveRuns<Event>(options)
      const run = yield* controlledRun
      const first = yield* runs.join("a", run.newGeneration, run.start)
      const firstEvents = yield* Effect.fork(Stream.runCollect(first.events))
      yield* run.feed.offerAll([{ n: 1 }, { n: 2 }])
      yield* TestClock.adjust("10 millis")
      const second = yield* runs.join("a", run.newGeneration, run.start)
      const secondEvents = yield* Effect.fork(Stream.runCollect(second.events))
      yield* run.feed.offerAll([{ n: 3 }, { n: 4, last: true }])
      expect(Chunk.toArray(yield* Fiber.join(firstEvents)).map((e) => e.n)).toEqual([1, 2, 3, 4])
      expect(Chunk.toArray(yield* Fiber.join(secondEvents)).map((e) => e.n)).toEqual([1, 2, 3, 4])
      expect([first.started, second.started, first.generation === second.generation]).toEqual([true, false, true])
      expect(yield* Ref.get(run.starts)).toBe(1)
    }))

  it.scoped("interrupts the run once everyone has left for the grace period", () =>
    Effect.gen(function*() {
      const runs = yield* makeLiveRuns<Event>(options)
      const run = yield* controlledRun
      const joined = yield* runs.join("a", run.newGeneration, run.start)
      yield* run.feed.offer({ n: 1 })
      // The follower reads one event and leaves.
      expect(Chunk.toArray(yield* Stream.runCollect(Stream.take(joined.events, 1)))).toEqual([{ n: 1 }])
      yield* TestClock.adjust("999 millis")
      expect(yield* Deferred.isDone(run.interrupted)).toBe(false)
      yield* TestClock.adjust("1 millis")
      yield* Deferred.await(run.interrupted)
      expect(yield* runs.inProgress).toBe(0)
      // The next follower starts a new generation.
      const again = yield* runs.join("a", run.newGeneration, run.start)
      expect([again.started, again.generation]).toEqual([true, "g2"])
    }))

  it.scoped("keeps the run for a follower who comes back within the grace period", () =>
    Effect.gen(function*() {
      const runs = yield* makeLiveRuns<Event>(options)
      const run = yield* controlledRun
      const joined = yield* runs.join("a", run.newGeneration, run.start)
      yield* run.feed.offer({ n: 1 })
      yield* Stream.runCollect(Stream.take(joined.events, 1))
      yield* TestClock.adjust("500 millis")
      const back = yield* runs.join("a", run.newGeneration, run.start)
      const events = yield* Effect.fork(Stream.runCollect(back.events))
      yield* TestClock.adjust("2 seconds")
      yield* run.feed.offer({ n: 2, last: true })
      expect(Chunk.toArray(yield* Fiber.join(events)).map((e) => e.n)).toEqual([1, 2])
      expect([back.started, yield* Deferred.isDone(run.interrupted), yield* Ref.get(run.starts)]).toEqual([false, false, 1])
    }))

  it.scoped("forgets a finished run, so the next request starts afresh (it reads the stored transcript)", () =>
    Effect.gen(function*() {
      const runs = yield* makeLiveRuns<Event>(options)
      const run = yield* controlledRun
      const joined = yield* runs.join("a", run.newGeneration, run.start)
      yield* run.feed.offer({ n: 1, last: true })
      yield* Stream.runDrain(joined.events)
      yield* TestClock.adjust("10 millis")
      expect(yield* runs.inProgress).toBe(0)
    }))

  it.scoped("ends followers with the broken event when a run stops without its last event", () =>
    Effect.gen(function*() {
      const runs = yield* makeLiveRuns<Event>(options)
      const joined = yield* runs.join("a", () => "g1", () => Stream.make({ n: 1 }))
      expect(Chunk.toArray(yield* Stream.runCollect(joined.events)).map((e) => e.n)).toEqual([1, -1])
    }))
})
