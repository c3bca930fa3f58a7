import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { createToastStore, defaultDurations } from "../../src/lib/toastStore.js"

describe("toast store", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("queues success, error and info toasts in order", () => {
    const store = createToastStore()
    store.success("Saved")
    store.error("Failed", "Try again")
    store.info("Heads up")
    expect(store.list().map((t) => [t.kind, t.title, t.message])).toEqual([
      ["success", "Saved", undefined],
      ["error", "Failed", "Try again"],
      ["info", "Heads up", undefined]
    ])
  })

  it("dismisses itself after the kind's duration; errors stay longer", () => {
    const store = createToastStore()
    store.success("Saved")
    store.error("Failed")
    vi.advanceTimersByTime(defaultDurations.success)
    expect(store.list().map((t) => t.title)).toEqual(["Failed"])
    vi.advanceTimersByTime(defaultDurations.error - defaultDurations.success)
    expect(store.list()).toEqual([])
  })

  it("keeps a toast with duration 0 until dismissed", () => {
    const store = createToastStore()
    const id = store.show("info", { title: "Sticky", duration: 0 })
    vi.advanceTimersByTime(60_000)
    expect(store.list()).toHaveLength(1)
    store.dismiss(id)
    expect(store.list()).toEqual([])
  })

  it("replaces a toast with the same key instead of stacking", () => {
    const store = createToastStore()
    store.show("error", { title: "API down", key: "api" })
    store.show("error", { title: "API still down", key: "api" })
    expect(store.list().map((t) => t.title)).toEqual(["API still down"])
  })

  it("keeps at most `max` toasts, dropping the oldest", () => {
    const store = createToastStore({ max: 2 })
    store.info("one")
    store.info("two")
    store.info("three")
    expect(store.list().map((t) => t.title)).toEqual(["two", "three"])
  })

  it("pauses the timer while hovered or focused, and resumes it", () => {
    const store = createToastStore({ durations: { info: 1000 } })
    const id = store.info("Read me")
    vi.advanceTimersByTime(900)
    store.pause(id)
    vi.advanceTimersByTime(5000)
    expect(store.list()).toHaveLength(1)
    store.resume(id)
    vi.advanceTimersByTime(1000)
    expect(store.list()).toEqual([])
  })

  it("notifies subscribers on every change, until they unsubscribe", () => {
    const store = createToastStore()
    const seen: Array<number> = []
    const unsubscribe = store.subscribe((toasts) => seen.push(toasts.length))
    const id = store.info("a")
    store.info("b")
    store.dismiss(id)
    unsubscribe()
    store.clear()
    expect(seen).toEqual([1, 2, 1])
  })

  it("ignores dismissing an unknown id", () => {
    const store = createToastStore()
    const listener = vi.fn()
    store.subscribe(listener)
    store.dismiss(42)
    expect(listener).not.toHaveBeenCalled()
  })
})
