import { type Duration, Effect, Exit, Fiber, PubSub, Stream } from "effect"

/**
 * Runs in progress, shared by everyone following them. The first follower of a key starts the
 * run; later followers (a second tab, a reconnect) join it and receive every event from the
 * start (the run keeps them all), so one model call serves them all. When the last follower
 * leaves, the run is interrupted after `grace` (which aborts the upstream request) unless
 * someone rejoins first; a reconnect within the grace period resumes the same run.
 */
export interface LiveRun<A> {
  readonly generation: string
  /** Every event of the run so far, then the rest as they come; ends after the last. */
  readonly events: Stream.Stream<A>
  /** True when this call started the run, false when it joined one. */
  readonly started: boolean
}

interface Entry<A> {
  readonly generation: string
  readonly hub: PubSub.PubSub<A>
  followers: number
  finished: boolean
  fiber: Fiber.RuntimeFiber<void> | undefined
}

export const makeLiveRuns = <A>(options: {
  readonly grace: Duration.DurationInput
  /** Whether an event is the run's last. */
  readonly isLast: (event: A) => boolean
  /** Published when a run's stream ends without a last event (a defect), so followers never hang. */
  readonly broken: A
}) =>
  Effect.gen(function*() {
    // Runs outlive the request that started them: they belong to this scope (the service's).
    const scope = yield* Effect.scope
    const runs = new Map<string, Entry<A>>()

    const forget = (key: string, entry: Entry<A>) =>
      Effect.suspend(() => {
        if (runs.get(key) === entry) runs.delete(key)
        return PubSub.shutdown(entry.hub)
      })

    const leave = (key: string, entry: Entry<A>) =>
      Effect.suspend(() => {
        entry.followers--
        if (entry.followers > 0 || entry.finished) return Effect.void
        return Effect.sleep(options.grace).pipe(
          Effect.zipRight(Effect.suspend(() => {
            if (entry.followers > 0 || entry.finished) return Effect.void
            return Effect.zipRight(
              entry.fiber === undefined ? Effect.void : Fiber.interrupt(entry.fiber),
              forget(key, entry)
            )
          })),
          Effect.forkIn(scope),
          Effect.asVoid
        )
      })

    const follow = (key: string, entry: Entry<A>): Stream.Stream<A> =>
      Stream.unwrapScoped(
        Effect.gen(function*() {
          yield* Effect.acquireRelease(Effect.sync(() => entry.followers++), () => leave(key, entry))
          const subscription = yield* PubSub.subscribe(entry.hub)
          return Stream.fromQueue(subscription).pipe(Stream.takeUntil(options.isLast))
        })
      )

    /**
     * Follows the run for `key`, starting it with `start` when none is in progress. `start`
     * gets the new run's generation; its events are kept until its last, then the run ends.
     */
    const join = (
      key: string,
      newGeneration: () => string,
      start: (generation: string) => Stream.Stream<A>
    ): Effect.Effect<LiveRun<A>> =>
      Effect.gen(function*() {
        const existing = runs.get(key)
        if (existing !== undefined) {
          return { generation: existing.generation, events: follow(key, existing), started: false }
        }
        // Replay everything to late joiners: a run is a few hundred events at most.
        const hub = yield* PubSub.unbounded<A>({ replay: Number.MAX_SAFE_INTEGER })
        const entry: Entry<A> = {
          generation: newGeneration(),
          hub,
          followers: 0,
          finished: false,
          fiber: undefined
        }
        runs.set(key, entry)
        entry.fiber = yield* start(entry.generation).pipe(
          Stream.runForEach((event) =>
            Effect.zipRight(
              Effect.sync(() => {
                if (options.isLast(event)) entry.finished = true
              }),
              PubSub.publish(hub, event)
            )
          ),
          Effect.onExit((exit) =>
            Effect.suspend(() => {
              // Interrupted: everyone had left, and the reaper forgets the run.
              if (Exit.isInterrupted(exit)) return Effect.void
              // Finished (or broken): forgotten once published; later requests read what it stored.
              const last = entry.finished ? Effect.void : PubSub.publish(hub, options.broken)
              entry.finished = true
              return Effect.zipRight(last, Effect.sync(() => runs.get(key) === entry && runs.delete(key)))
            })
          ),
          Effect.forkIn(scope)
        )
        return { generation: entry.generation, events: follow(key, entry), started: true }
      })

    /** Runs in progress (for tests and health). */
    const inProgress = Effect.sync(() => runs.size)

    return { join, inProgress } as const
  })

export type LiveRuns<A> = Effect.Effect.Success<ReturnType<typeof makeLiveRuns<A>>>
