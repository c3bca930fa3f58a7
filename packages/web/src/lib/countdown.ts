import { type Accessor, createEffect, createSignal, onCleanup } from "solid-js"

/** Whole seconds from `now` until `deadline` (both ms since the epoch), rounded up; 0 once it has passed. */
export const secondsUntil = (deadline: number, now: number): number => Math.max(0, Math.ceil((deadline - now) / 1000))

/**
 * The seconds left of a wait of `seconds` (undefined: none), counted from when the accessor last
 * ran: for "Try again in 12 s" where the server said how long asking again is sure to fail. A
 * change to what the accessor reads starts the count again. Checks four times a second so the
 * number turns close to each second's boundary; no timer runs without a wait or after it.
 */
export const createCountdown = (seconds: Accessor<number | undefined>): Accessor<number> => {
  const [left, setLeft] = createSignal(0)
  createEffect(() => {
    const wait = seconds()
    if (wait === undefined) return setLeft(0)
    const deadline = Date.now() + wait * 1000
    const tick = () => setLeft(secondsUntil(deadline, Date.now()))
    if (tick() === 0) return
    const timer = setInterval(() => {
      if (tick() === 0) clearInterval(timer)
    }, 250)
    onCleanup(() => clearInterval(timer))
  })
  return left
}
