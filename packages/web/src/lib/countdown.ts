import { type Accessor, createEffect, createSignal, onCleanup } from "solid-js"

/** Whole seconds from `now` until `deadline` (ms since the epoch), rounded up; 0 once it has passed or without one. */
export const secondsUntil = (deadline: number | undefined, now: number): number =>
  deadline === undefined ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000))

/**
 * The seconds left until `deadline`, kept current until they reach 0: for "Try again in 12 s"
 * where the server said how long asking again is sure to fail. Checks four times a second so the
 * number turns close to each second's boundary; no timer runs without a deadline or after it.
 */
export const createCountdown = (deadline: Accessor<number | undefined>, now: () => number = Date.now): Accessor<number> => {
  const [left, setLeft] = createSignal(0)
  createEffect(() => {
    const until = deadline()
    const tick = () => setLeft(secondsUntil(until, now()))
    if (tick() === 0) return
    const timer = setInterval(() => {
      if (tick() === 0) clearInterval(timer)
    }, 250)
    onCleanup(() => clearInterval(timer))
  })
  return left
}
