/** Every request the fake received, what it was scripted to do and how it ended. */
import type { Endpoint, Fault, Provider } from "./faults.js"

export type Outcome =
  | "completed" // the full response went out
  | "error" // an error status was answered
  | "in-band-error" // a stream ended with the provider's error event
  | "malformed" // a stream ended with a malformed event
  | "truncated" // a stream ended without its terminator
  | "stalled" // stalled until the client went away or the server closed
  | "reset" // the socket was destroyed
  | "client-closed" // the client went away before the end
  | "pending" // still running

export interface JournalEntry {
  readonly id: number
  readonly receivedAt: string
  readonly method: string
  readonly path: string
  readonly provider: Provider | undefined
  readonly endpoint: Endpoint | undefined
  /** Request headers, with the API key's middle elided. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly model: string | undefined
  readonly stream: boolean
  readonly faults: ReadonlyArray<Fault>
  readonly ruleId: string | undefined
  status: number | undefined
  outcome: Outcome
  /** Tokens (content deltas) sent before the end. */
  chunksSent: number
  durationMs: number | undefined
}

export interface JournalFilter {
  readonly provider?: Provider
  readonly endpoint?: Endpoint
  readonly outcome?: Outcome
}

export class Journal {
  #entries: Array<JournalEntry> = []
  #next = 1
  #waiters: Array<{ readonly check: () => boolean; readonly resolve: () => void }> = []

  /** @internal */
  record(entry: Omit<JournalEntry, "id" | "receivedAt" | "status" | "outcome" | "chunksSent" | "durationMs">): JournalEntry {
    const full: JournalEntry = {
      ...entry,
      id: this.#next++,
      receivedAt: new Date().toISOString(),
      status: undefined,
      outcome: "pending",
      chunksSent: 0,
      durationMs: undefined
    }
    this.#entries.push(full)
    this.notify()
    return full
  }

  /** @internal Wakes `waitFor` callers after an entry changed. */
  notify(): void {
    const waiting = this.#waiters
    this.#waiters = []
    for (const waiter of waiting) {
      if (waiter.check()) waiter.resolve()
      else this.#waiters.push(waiter)
    }
  }

  entries(filter: JournalFilter = {}): ReadonlyArray<JournalEntry> {
    return this.#entries.filter((entry) =>
      (filter.provider === undefined || entry.provider === filter.provider) &&
      (filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
      (filter.outcome === undefined || entry.outcome === filter.outcome)
    ).map((entry) => ({ ...entry }))
  }

  count(filter: JournalFilter = {}): number {
    return this.entries(filter).length
  }

  last(): JournalEntry | undefined {
    const entry = this.#entries.at(-1)
    return entry === undefined ? undefined : { ...entry }
  }

  clear(): void {
    this.#entries = []
  }

  /** Resolves once `predicate` holds for the journal (checked on every change, no polling). */
  waitFor(predicate: (journal: Journal) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => predicate(this)
      if (check()) resolve()
      else this.#waiters.push({ check, resolve })
    })
  }
}
