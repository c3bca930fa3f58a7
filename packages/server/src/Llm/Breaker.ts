import { Cause, Clock, Context, Effect, Either, Exit, Layer, Option, SynchronizedRef } from "effect"
import type { LlmError, LlmErrorType, LlmProviderId } from "./Errors.js"
import { countsAsBreakerFailure, errorType, LlmUnavailable, opensBreakerImmediately } from "./Errors.js"

/**
 * A circuit breaker per (provider, operation family), pure Effect: state in a `SynchronizedRef`,
 * time from `Clock`, no timers. Open turns into half-open lazily, on the first call (or `state`
 * read) after the cool-down.
 *
 *   closed    --N consecutive counted failures, or one auth/quota error-->  open
 *   open      --cool-down elapsed-->                                        half-open
 *   half-open --M consecutive successful probes (one at a time)-->          closed
 *   half-open --a counted failure of the probe-->                           open
 *
 * Errors for which `countsAsBreakerFailure` is false (bad request, context too long, invalid
 * output) leave the state alone; an interrupted call too. A defect counts as a failure.
 * Results of calls admitted before the latest transition are ignored (they describe the old state).
 */

export type BreakerState = "closed" | "open" | "half-open"

export interface BreakerThresholds {
  /** Consecutive counted failures that open a closed breaker. Default 5. */
  readonly failureThreshold?: number
  /** How long the breaker stays open before letting a probe through. Default 60 000 ms. */
  readonly openMs?: number
  /** Consecutive successful probes that close a half-open breaker. Default 3. */
  readonly halfOpenSuccesses?: number
  /** `retryAfterMs` given to callers turned away while a half-open probe is in flight. Default 1 000 ms. */
  readonly probeRetryAfterMs?: number
}

export const defaultBreakerThresholds: Required<BreakerThresholds> = {
  failureThreshold: 5,
  openMs: 60_000,
  halfOpenSuccesses: 3,
  probeRetryAfterMs: 1_000
}

export type BreakerTransitionReason =
  /** `failureThreshold` consecutive counted failures while closed. */
  | "failure-threshold"
  /** An error that opens the breaker at once (auth, quota). */
  | "immediate"
  /** The cool-down elapsed. */
  | "cool-down-elapsed"
  /** A half-open probe failed. */
  | "probe-failed"
  /** `halfOpenSuccesses` consecutive probes succeeded. */
  | "probes-succeeded"

export interface BreakerTransition {
  /** `${provider}:${family}` */
  readonly key: string
  readonly provider: LlmProviderId
  readonly family: string
  readonly from: BreakerState
  readonly to: BreakerState
  /** Clock time in ms (epoch) when the transition was made. */
  readonly at: number
  readonly reason: BreakerTransitionReason
  /** The error that caused it, for transitions to open. */
  readonly error?: LlmError
}

export interface BreakerOptions extends BreakerThresholds {
  readonly provider: LlmProviderId
  /** Operation family, e.g. "chat" or "embed". */
  readonly family: string
  /** Called for every transition, in order, while the breaker's state is held (keep it short; it cannot fail). */
  readonly onTransition?: (transition: BreakerTransition) => Effect.Effect<void>
}

export interface BreakerSnapshot {
  readonly key: string
  readonly provider: LlmProviderId
  readonly family: string
  readonly state: BreakerState
  /** Consecutive counted failures (reset by a success while closed, and on closing). */
  readonly consecutiveFailures: number
  /** Consecutive successful probes in this half-open period. */
  readonly halfOpenSuccesses: number
  readonly probeInFlight: boolean
  /** When it last opened (Clock ms), while open or half-open. */
  readonly openedAt?: number
  /** While open: ms until half-open. */
  readonly retryAfterMs?: number
  /** Telemetry name of the last counted failure. */
  readonly lastError?: LlmErrorType
  /** When the last transition happened (Clock ms). */
  readonly lastTransitionAt?: number
}

export interface Breaker {
  readonly key: string
  readonly provider: LlmProviderId
  readonly family: string
  /**
   * Runs `effect` when the breaker admits it, and records its outcome; otherwise fails at once
   * with `LlmUnavailable` (without running `effect`).
   */
  readonly protect: <A, E extends LlmError, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | LlmUnavailable, R>
  /** The current state (turning open into half-open first when the cool-down has elapsed). */
  readonly state: Effect.Effect<BreakerSnapshot>
}

interface Internal {
  readonly state: BreakerState
  /** Bumped on every transition; an outcome recorded under an older epoch is ignored. */
  readonly epoch: number
  readonly consecutiveFailures: number
  readonly halfOpenSuccesses: number
  readonly probeInFlight: boolean
  readonly openedAt: number
  readonly lastError: LlmErrorType | undefined
  readonly lastTransitionAt: number | undefined
}

interface Permit {
  readonly probe: boolean
  readonly epoch: number
}

type Outcome =
  | { readonly _tag: "success" }
  | { readonly _tag: "neutral" }
  | { readonly _tag: "failure"; readonly immediate: boolean; readonly error: LlmError | undefined }

const classify = <A, E extends LlmError>(exit: Exit.Exit<A, E>): Outcome => {
  if (Exit.isSuccess(exit)) return { _tag: "success" }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (opensBreakerImmediately(error)) return { _tag: "failure", immediate: true, error }
    return countsAsBreakerFailure(error) ? { _tag: "failure", immediate: false, error } : { _tag: "neutral" }
  }
  // Interrupted (the caller went away, a timeout raced it): says nothing about the provider.
  if (Cause.isInterruptedOnly(exit.cause)) return { _tag: "neutral" }
  return { _tag: "failure", immediate: false, error: undefined }
}

export const makeBreaker = (options: BreakerOptions): Effect.Effect<Breaker> =>
  Effect.gen(function*() {
    const failureThreshold = Math.max(1, options.failureThreshold ?? defaultBreakerThresholds.failureThreshold)
    const openMs = Math.max(0, options.openMs ?? defaultBreakerThresholds.openMs)
    const halfOpenSuccesses = Math.max(1, options.halfOpenSuccesses ?? defaultBreakerThresholds.halfOpenSuccesses)
    const probeRetryAfterMs = Math.max(0, options.probeRetryAfterMs ?? defaultBreakerThresholds.probeRetryAfterMs)
    const { family, provider } = options
    const key = `${provider}:${family}`
    const ref = yield* SynchronizedRef.make<Internal>({
      state: "closed",
      epoch: 0,
      consecutiveFailures: 0,
      halfOpenSuccesses: 0,
      probeInFlight: false,
      openedAt: 0,
      lastError: undefined,
      lastTransitionAt: undefined
    })

    const moveTo = (
      s: Internal,
      to: BreakerState,
      at: number,
      reason: BreakerTransitionReason,
      patch: Partial<Internal>,
      error?: LlmError
    ): Effect.Effect<Internal> => {
      const next: Internal = {
        ...s,
        ...patch,
        state: to,
        epoch: s.epoch + 1,
        halfOpenSuccesses: 0,
        probeInFlight: false,
        lastTransitionAt: at,
        ...(to === "open" ? { openedAt: at } : {}),
        ...(to === "closed" ? { consecutiveFailures: 0 } : {})
      }
      if (options.onTransition === undefined) return Effect.succeed(next)
      const transition: BreakerTransition = {
        key,
        provider,
        family,
        from: s.state,
        to,
        at,
        reason,
        ...(error === undefined ? {} : { error })
      }
      return Effect.as(options.onTransition(transition), next)
    }

    /** Open turns half-open once the cool-down has elapsed. */
    const refresh = (s: Internal, now: number): Effect.Effect<Internal> =>
      s.state === "open" && now >= s.openedAt + openMs
        ? moveTo(s, "half-open", now, "cool-down-elapsed", {})
        : Effect.succeed(s)

    const unavailable = (retryAfterMs: number, why: string) =>
      new LlmUnavailable({ provider, retryAfterMs, message: `${key} circuit breaker is ${why}` })

    type Admission = Either.Either<Permit, LlmUnavailable>
    const acquireHeld: Effect.Effect<Permit, LlmUnavailable> = SynchronizedRef.modifyEffect(
      ref,
      (current) =>
        Effect.gen(function*(): Effect.fn.Return<readonly [Admission, Internal]> {
          const now = yield* Clock.currentTimeMillis
          const s = yield* refresh(current, now)
          switch (s.state) {
            case "closed":
              return [Either.right({ probe: false, epoch: s.epoch }), s]
            case "half-open":
              return s.probeInFlight
                ? [Either.left(unavailable(probeRetryAfterMs, "half-open with its probe in flight")), s]
                : [Either.right({ probe: true, epoch: s.epoch }), { ...s, probeInFlight: true }]
            case "open":
              return [Either.left(unavailable(Math.max(0, s.openedAt + openMs - now), "open")), s]
          }
        })
    ).pipe(Effect.flatMap((admission: Admission) => admission))

    /**
     * Closed admits without changing anything, so it needs no lock: a plain read. (A transition
     * racing it is as if the call had been admitted just before; its outcome is then ignored.)
     */
    const acquire: Effect.Effect<Permit, LlmUnavailable> = Effect.flatMap(
      SynchronizedRef.get(ref),
      (s) => (s.state === "closed" ? Effect.succeed({ probe: false, epoch: s.epoch }) : acquireHeld)
    )

    /** A success while closed with no failure to forget changes nothing: no lock needed. */
    const record = (permit: Permit, outcome: Outcome): Effect.Effect<void> =>
      outcome._tag === "success" && !permit.probe
        ? Effect.flatMap(
          SynchronizedRef.get(ref),
          (s) => (s.epoch !== permit.epoch || s.consecutiveFailures === 0 ? Effect.void : recordHeld(permit, outcome))
        )
        : recordHeld(permit, outcome)

    const recordHeld = (permit: Permit, outcome: Outcome): Effect.Effect<void> =>
      SynchronizedRef.updateEffect(ref, (s) =>
        Effect.gen(function*() {
          if (s.epoch !== permit.epoch) return s
          const now = yield* Clock.currentTimeMillis
          const lastError = outcome._tag === "failure" && outcome.error !== undefined
            ? errorType(outcome.error)
            : s.lastError
          if (permit.probe) {
            switch (outcome._tag) {
              case "neutral":
                return { ...s, probeInFlight: false }
              case "success": {
                const successes = s.halfOpenSuccesses + 1
                return successes >= halfOpenSuccesses
                  ? yield* moveTo(s, "closed", now, "probes-succeeded", {})
                  : { ...s, probeInFlight: false, halfOpenSuccesses: successes }
              }
              case "failure":
                return yield* moveTo(
                  s,
                  "open",
                  now,
                  "probe-failed",
                  { consecutiveFailures: s.consecutiveFailures + 1, lastError },
                  outcome.error
                )
            }
          }
          switch (outcome._tag) {
            case "neutral":
              return s
            case "success":
              return s.consecutiveFailures === 0 ? s : { ...s, consecutiveFailures: 0 }
            case "failure": {
              const consecutiveFailures = s.consecutiveFailures + 1
              if (outcome.immediate) {
                return yield* moveTo(s, "open", now, "immediate", { consecutiveFailures, lastError }, outcome.error)
              }
              return consecutiveFailures >= failureThreshold
                ? yield* moveTo(s, "open", now, "failure-threshold", { consecutiveFailures, lastError }, outcome.error)
                : { ...s, consecutiveFailures, lastError }
            }
          }
        }))

    const protect = <A, E extends LlmError, R>(
      effect: Effect.Effect<A, E, R>
    ): Effect.Effect<A, E | LlmUnavailable, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(acquire, (permit) =>
          restore(effect).pipe(Effect.onExit((exit) => record(permit, classify(exit)))))
      )

    const state: Effect.Effect<BreakerSnapshot> = SynchronizedRef.modifyEffect(ref, (current) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const s = yield* refresh(current, now)
        const snapshot: BreakerSnapshot = {
          key,
          provider,
          family,
          state: s.state,
          consecutiveFailures: s.consecutiveFailures,
          halfOpenSuccesses: s.halfOpenSuccesses,
          probeInFlight: s.probeInFlight,
          ...(s.state === "closed" ? {} : { openedAt: s.openedAt }),
          ...(s.state === "open" ? { retryAfterMs: Math.max(0, s.openedAt + openMs - now) } : {}),
          ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
          ...(s.lastTransitionAt === undefined ? {} : { lastTransitionAt: s.lastTransitionAt })
        }
        return [snapshot, s] as const
      }))

    return { key, provider, family, protect, state }
  })

export interface BreakersOptions extends BreakerThresholds {
  /** Per-key thresholds (`${provider}:${family}`), over the shared ones. */
  readonly overrides?: Readonly<Record<string, BreakerThresholds>>
  readonly onTransition?: (transition: BreakerTransition) => Effect.Effect<void>
}

export interface BreakersRegistry {
  /** The breaker of (provider, family), created on first use. */
  readonly get: (provider: LlmProviderId, family: string) => Effect.Effect<Breaker>
  /** `get(provider, family)` then `protect(effect)`. */
  readonly protect: (
    provider: LlmProviderId,
    family: string
  ) => <A, E extends LlmError, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | LlmUnavailable, R>
  /** Every breaker created so far, sorted by key (for /health and metrics). */
  readonly snapshot: Effect.Effect<ReadonlyArray<BreakerSnapshot>>
}

export const makeBreakers = (options: BreakersOptions = {}): Effect.Effect<BreakersRegistry> =>
  Effect.gen(function*() {
    const breakers = yield* SynchronizedRef.make<ReadonlyMap<string, Breaker>>(new Map())
    const { overrides, ...shared } = options
    const get = (provider: LlmProviderId, family: string): Effect.Effect<Breaker> => {
      const key = `${provider}:${family}`
      // Created once, read on every call: only a creation takes the lock.
      return Effect.flatMap(SynchronizedRef.get(breakers), (known) => {
        const found = known.get(key)
        return found !== undefined ? Effect.succeed(found) : create(provider, family, key)
      })
    }
    const create = (provider: LlmProviderId, family: string, key: string): Effect.Effect<Breaker> => {
      return SynchronizedRef.modifyEffect(breakers, (map) => {
        const existing = map.get(key)
        if (existing !== undefined) return Effect.succeed([existing, map] as const)
        return Effect.map(
          makeBreaker({ ...shared, ...overrides?.[key], provider, family }),
          (breaker) => [breaker, new Map(map).set(key, breaker)] as const
        )
      })
    }
    const protect = (provider: LlmProviderId, family: string) =>
    <A, E extends LlmError, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | LlmUnavailable, R> =>
      Effect.flatMap(get(provider, family), (breaker) => breaker.protect(effect))
    const snapshot = Effect.flatMap(SynchronizedRef.get(breakers), (map) =>
      Effect.forEach([...map.keys()].sort(), (key) => {
        const breaker = map.get(key)
        return breaker === undefined ? Effect.succeed(Option.none()) : Effect.asSome(breaker.state)
      })).pipe(Effect.map((all) => all.flatMap((o) => Option.isSome(o) ? [o.value] : [])))
    return { get, protect, snapshot }
  })

/** The process-wide registry of LLM breakers, as a service. */
export class Breakers extends Context.Tag("Llm/Breakers")<Breakers, BreakersRegistry>() {
  static readonly layer = (options: BreakersOptions = {}): Layer.Layer<Breakers> =>
    Layer.effect(Breakers, makeBreakers(options))
  static readonly Default: Layer.Layer<Breakers> = Layer.effect(Breakers, makeBreakers())
}
