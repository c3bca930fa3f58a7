import { type Clock, Effect } from "effect"
import type { RateDecision } from "../RateLimit.js"

/** Past this many keys, finished windows are swept on the next count, so memory stays bounded by active clients. */
const sweepAbove = 10_000

/**
 * Fixed windows counted in this process's memory: one instance's view. Used alone when there
 * is no Redis, and as the fallback while Redis is unreachable.
 *
 * The clock is the one the store was made with (the layer's; `TestClock` in tests), read
 * synchronously: the general tier counts every API request, and with `Clock` looked up in the
 * fiber's services per count, counting cost ≈ 4 µs of the ≈ 8 µs a warm `/me` spent beyond
 * `/health`; read this way, ≈ 2 µs (README, Performance).
 */
export const makeMemoryStore = (clock: Clock.Clock) => {
  const windows = new Map<string, { start: number; count: number }>()
  const count = (key: string, limit: number, windowMs: number): RateDecision => {
    const now = clock.unsafeCurrentTimeMillis()
    if (windows.size > sweepAbove) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
    let window = windows.get(key)
    if (window === undefined || now - window.start >= windowMs) {
      window = { start: now, count: 0 }
      windows.set(key, window)
    }
    window.count++
    return {
      allowed: window.count <= limit,
      limit,
      remaining: Math.max(0, limit - window.count),
      resetMs: window.start + windowMs - now
    }
  }
  return {
    consume: (key: string, limit: number, windowMs: number): Effect.Effect<RateDecision> =>
      Effect.sync(() => count(key, limit, windowMs))
  }
}
