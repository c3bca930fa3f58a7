import { Clock, Effect } from "effect"
import type { RateDecision } from "../RateLimit.js"

/** Past this many keys, finished windows are swept on the next count, so memory stays bounded by active clients. */
const sweepAbove = 10_000

/**
 * Fixed windows counted in this process's memory: one instance's view. Used alone when there
 * is no Redis, and as the fallback while Redis is unreachable.
 */
export const makeMemoryStore = () => {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    consume: (key: string, limit: number, windowMs: number): Effect.Effect<RateDecision> =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        if (windows.size > sweepAbove) for (const [k, w] of windows) if (now - w.start >= windowMs) windows.delete(k)
        const current = windows.get(key)
        const window = current === undefined || now - current.start >= windowMs ? { start: now, count: 0 } : current
        window.count++
        windows.set(key, window)
        return {
          allowed: window.count <= limit,
          limit,
          remaining: Math.max(0, limit - window.count),
          resetMs: window.start + windowMs - now
        }
      })
  }
}
