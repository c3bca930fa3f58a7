/**
 * A bounded map that forgets its least recently used entries when full and each entry at its
 * own deadline. Plain synchronous code on purpose: it sits on the path of every authenticated
 * request, where each Effect step is measurable.
 *
 * Recency is tracked the "second chance" (CLOCK) way: a read only marks its entry as used; when
 * the map is full, entries are examined oldest first, and a used one is moved to the young end
 * (its mark cleared) instead of leaving. An entry read since it last came round always outlives
 * one that was not: a close approximation of LRU that does not reorder the map on every read (a
 * `Map` delete-and-set per hit cost several times the lookup itself).
 *
 * Time is passed in by the caller (from Effect's `Clock`), so tests drive expiry with `TestClock`.
 */

/** Why an entry left without being deleted by its owner. */
export type DropReason = "capacity" | "expired"

interface Slot<V> {
  readonly value: V
  /** Epoch milliseconds; the entry is gone from this instant on. */
  readonly expiresAtMs: number
  /** Read since it was stored or last given a second chance. */
  used: boolean
}

export class Lru<K, V> {
  private readonly slots = new Map<K, Slot<V>>()

  constructor(
    readonly capacity: number,
    /** Told about every entry that leaves for lack of room or time, to keep indexes in step. */
    private readonly onDrop: (key: K, value: V, reason: DropReason) => void = () => {}
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Lru capacity must be a positive integer, got ${capacity}`)
  }

  get size(): number {
    return this.slots.size
  }

  /** The live value, marked as used; undefined when absent or past its deadline. */
  get(key: K, nowMs: number): V | undefined {
    const slot = this.slots.get(key)
    if (slot === undefined) return undefined
    if (slot.expiresAtMs <= nowMs) {
      this.slots.delete(key)
      this.onDrop(key, slot.value, "expired")
      return undefined
    }
    slot.used = true
    return slot.value
  }

  /** Adds or replaces an entry; when full, the oldest entry not used since it came round makes room. */
  set(key: K, value: V, expiresAtMs: number): void {
    this.slots.delete(key)
    // Room is made before the new entry goes in, so it is never the one to leave. Ends within
    // one round: every entry passed over loses its mark.
    while (this.slots.size >= this.capacity) {
      const [oldest, slot] = this.slots.entries().next().value as [K, Slot<V>]
      this.slots.delete(oldest)
      if (slot.used) {
        slot.used = false
        this.slots.set(oldest, slot)
      } else {
        this.onDrop(oldest, slot.value, "capacity")
      }
    }
    this.slots.set(key, { value, expiresAtMs, used: false })
  }

  /** Removes an entry; its value when it was there (expired or not). */
  delete(key: K): V | undefined {
    const slot = this.slots.get(key)
    if (slot === undefined) return undefined
    this.slots.delete(key)
    return slot.value
  }

  /** Drops every entry past its deadline (reported as "expired"); for reports, not the hot path. */
  sweep(nowMs: number): void {
    for (const [key, slot] of this.slots) {
      if (slot.expiresAtMs <= nowMs) {
        this.slots.delete(key)
        this.onDrop(key, slot.value, "expired")
      }
    }
  }

  /** Empties the map; how many entries it held. */
  clear(): number {
    const count = this.slots.size
    this.slots.clear()
    return count
  }
}
