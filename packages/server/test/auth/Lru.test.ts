import { describe, expect, it } from "@effect/vitest"
import { type DropReason, Lru } from "../../src/Auth/Lru.js"

const tracked = (capacity: number) => {
  const dropped: Array<[string, DropReason]> = []
  const lru = new Lru<string, number>(capacity, (key, _, reason) => dropped.push([key, reason]))
  return { lru, dropped }
}

describe("Lru", () => {
  it("when full, the entry not read since it came round leaves; read ones get a second chance", () => {
    const { dropped, lru } = tracked(3)
    for (const [i, key] of ["a", "b", "c"].entries()) lru.set(key, i, Infinity)
    expect(lru.get("a", 0)).toBe(0)
    expect(lru.get("c", 0)).toBe(2)
    lru.set("d", 3, Infinity) // a was read: it moves on; b was not: it leaves
    expect(dropped).toEqual([["b", "capacity"]])
    expect(lru.get("b", 0)).toBeUndefined()
    lru.set("e", 4, Infinity) // c was read; a's chance was used up and it was not read since: a leaves
    expect(dropped).toEqual([["b", "capacity"], ["a", "capacity"]])
    expect([lru.get("c", 0), lru.get("d", 0), lru.get("e", 0)]).toEqual([2, 3, 4])
    expect(lru.size).toBe(3)
  })

  it("when every entry was read, the oldest still leaves (after one round)", () => {
    const { dropped, lru } = tracked(2)
    lru.set("a", 1, Infinity)
    lru.set("b", 2, Infinity)
    lru.get("a", 0)
    lru.get("b", 0)
    lru.set("c", 3, Infinity)
    expect(dropped).toEqual([["a", "capacity"]])
  })

  it("an entry is gone at its deadline, reported as expired; sweep drops every expired one", () => {
    const { dropped, lru } = tracked(10)
    lru.set("short", 1, 1_000)
    lru.set("long", 2, 5_000)
    lru.set("mid", 3, 2_000)
    expect(lru.get("short", 999)).toBe(1)
    expect(lru.get("short", 1_000)).toBeUndefined()
    expect(dropped).toEqual([["short", "expired"]])
    lru.sweep(2_000)
    expect(dropped).toEqual([["short", "expired"], ["mid", "expired"]])
    expect(lru.size).toBe(1)
  })

  it("replacing keeps one entry; delete and clear report nothing to onDrop", () => {
    const { dropped, lru } = tracked(2)
    lru.set("a", 1, Infinity)
    lru.set("a", 2, Infinity)
    expect(lru.size).toBe(1)
    expect(lru.get("a", 0)).toBe(2)
    expect(lru.delete("a")).toBe(2)
    expect(lru.delete("a")).toBeUndefined()
    lru.set("b", 1, Infinity)
    expect(lru.clear()).toBe(1)
    expect(dropped).toEqual([])
    expect(() => new Lru(0)).toThrow(RangeError)
  })
})
