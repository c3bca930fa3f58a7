import { Deferred, Effect, FiberId, type Scope } from "effect"

/**
 * In-process single flight: while the work for a key runs, every caller for that key waits for
 * the same outcome instead of starting the work again. The work runs in `scope` (the service's),
 * not in the first caller's fiber, so a caller that goes away (a closed tab) neither cancels it
 * for the others nor loses its result: it finishes and is stored. Once it ends, the key is free.
 */
export const makeSingleFlight = <A, E>(scope: Scope.Scope) => {
  const flights = new Map<string, Deferred.Deferred<A, E>>()

  const run = (key: string, work: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const inFlight = flights.get(key)
      if (inFlight !== undefined) return Deferred.await(inFlight)
      const outcome = Deferred.unsafeMake<A, E>(FiberId.none)
      flights.set(key, outcome)
      return work.pipe(
        // On interruption too (the scope closing), so that no waiter is left hanging.
        Effect.onExit((exit) =>
          Effect.zipRight(Effect.sync(() => flights.delete(key)), Deferred.done(outcome, exit))
        ),
        Effect.forkIn(scope),
        Effect.zipRight(Deferred.await(outcome))
      )
    })

  return { run } as const
}
