/**
 * Coalesces concurrent calls: while one run of `f` is in flight, every caller gets that same
 * promise; the next call after it settles starts a new run. Refresh tokens rotate and a reused
 * one revokes the whole session, so two refreshes racing with the same cookie would sign the
 * learner out: every refresh in a tab goes through one of these.
 */
export const singleFlight = <A>(f: () => Promise<A>): (() => Promise<A>) => {
  let inFlight: Promise<A> | undefined
  return () => {
    if (inFlight !== undefined) return inFlight
    let settled = false
    const run = (async () => {
      try {
        return await f()
      } finally {
        settled = true
        inFlight = undefined
      }
    })()
    // A function that throws at once has settled already (its `finally` ran): nothing in flight.
    if (!settled) inFlight = run
    return run
  }
}
