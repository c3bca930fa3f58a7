import { describe, expect, it } from "vitest"
import { singleFlight } from "../../src/lib/session/singleFlight.js"

/** A promise the test settles by hand. */
const deferred = <A>() => {
  let resolve!: (a: A) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<A>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe("singleFlight", () => {
  it("gives every concurrent caller the one run in flight", async () => {
    let runs = 0
    const gate = deferred<string>()
    const refresh = singleFlight(() => {
      runs += 1
      return gate.promise
    })
    const callers = [refresh(), refresh(), refresh()]
    expect(runs).toBe(1)
    expect(callers[1]).toBe(callers[0])
    gate.resolve("new token")
    expect(await Promise.all(callers)).toEqual(["new token", "new token", "new token"])
    expect(runs).toBe(1)
  })

  it("starts a new run once the previous one has settled", async () => {
    let runs = 0
    const refresh = singleFlight(async () => {
      runs += 1
      return runs
    })
    expect(await refresh()).toBe(1)
    expect(await refresh()).toBe(2)
    expect(await Promise.all([refresh(), refresh()])).toEqual([3, 3])
  })

  it("shares a failure and recovers after it", async () => {
    let runs = 0
    const gate = deferred<number>()
    const refresh = singleFlight(() => {
      runs += 1
      return runs === 1 ? gate.promise : Promise.resolve(runs)
    })
    const a = refresh()
    const b = refresh()
    gate.reject(new Error("offline"))
    await expect(a).rejects.toThrow("offline")
    await expect(b).rejects.toThrow("offline")
    expect(await refresh()).toBe(2)
  })

  it("survives a function that throws before returning a promise", async () => {
    let runs = 0
    const refresh = singleFlight((): Promise<number> => {
      runs += 1
      if (runs === 1) throw new Error("synchronous")
      return Promise.resolve(runs)
    })
    await expect(refresh()).rejects.toThrow("synchronous")
    expect(await refresh()).toBe(2)
  })
})
