import { Clock, Duration, Effect, Random } from "effect"
import type { LlmError } from "./Errors.js"
import { isRetryable, retryAfterOf } from "./Errors.js"

/**
 * Retries for one logical LLM request: only retryable errors (see `isRetryable`), full-jitter
 * exponential backoff drawn from Effect's `Random` (seedable in tests), `retry-after` honoured
 * as a floor, and a time budget measured with `Clock` from the start of the logical request.
 * When the next wait would not fit the remaining budget the policy gives up at once with the
 * last error, so the gateway can fall back to the next provider instead of sleeping.
 */

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly maxAttempts?: number
  /** Backoff cap for the first retry; doubled per retry. Default 250 ms. */
  readonly baseDelayMs?: number
  /** Upper bound of the backoff cap (not of `retry-after`, which is honoured as given). Default 4 000 ms. */
  readonly maxDelayMs?: number
  /** Time budget of one logical request, attempts and waits together. Default 10 000 ms. */
  readonly budgetMs?: number
  /**
   * Which failures to retry. Default `isRetryable`. A streaming caller passes e.g.
   * `(e) => isRetryable(e, { firstTokenDelivered })` so nothing is retried once output reached the caller.
   */
  readonly shouldRetry?: (error: LlmError, attempt: number) => boolean | Effect.Effect<boolean>
  /** Called before each wait, for logs and telemetry. */
  readonly onRetry?: (event: RetryEvent) => Effect.Effect<void>
  /** Called once when the policy stops with a failure, for logs and telemetry (and fallback reasons). */
  readonly onGiveUp?: (event: GiveUpEvent) => Effect.Effect<void>
}

export interface RetryEvent {
  /** The attempt that just failed, 1-based. The next attempt is `attempt + 1`. */
  readonly attempt: number
  readonly error: LlmError
  /** How long the policy waits before the next attempt. */
  readonly delayMs: number
  /** Milliseconds of budget used so far (before the wait). */
  readonly elapsedMs: number
}

export type GiveUpReason =
  /** The error is not retryable (or `shouldRetry` said no). */
  | "not-retryable"
  /** `maxAttempts` attempts failed. */
  | "max-attempts"
  /** The next wait (backoff or `retry-after`) would not fit the remaining budget. */
  | "budget"

export interface GiveUpEvent {
  /** Attempts made in all. */
  readonly attempts: number
  readonly error: LlmError
  readonly reason: GiveUpReason
  readonly elapsedMs: number
}

export interface ResolvedRetryOptions {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  readonly budgetMs: number
}

export const defaultRetryOptions: ResolvedRetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  budgetMs: 10_000
}

/** The backoff cap before retry number `retry` (1 = first retry): `min(maxDelayMs, baseDelayMs * 2^(retry-1))`. */
export const backoffCapMs = (options: Pick<ResolvedRetryOptions, "baseDelayMs" | "maxDelayMs">, retry: number): number =>
  Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1))

/** Full jitter: a uniform whole number of milliseconds in `[0, cap]`, drawn from `Random`. */
export const fullJitterMs = (capMs: number): Effect.Effect<number> =>
  Effect.map(Random.next, (r) => Math.min(capMs, Math.floor(r * (capMs + 1))))

/**
 * The wait before retry number `retry`: full-jitter backoff, raised to the error's
 * `retry-after` when it carries one (a provider's `retry-after` is a floor, never shortened).
 */
export const retryDelayMs = (
  options: Pick<ResolvedRetryOptions, "baseDelayMs" | "maxDelayMs">,
  retry: number,
  error: LlmError
): Effect.Effect<number> =>
  Effect.map(fullJitterMs(backoffCapMs(options, retry)), (jitter) => Math.max(jitter, retryAfterOf(error) ?? 0))

const resolve = (options: RetryOptions): ResolvedRetryOptions => ({
  maxAttempts: Math.max(1, Math.floor(options.maxAttempts ?? defaultRetryOptions.maxAttempts)),
  baseDelayMs: Math.max(0, options.baseDelayMs ?? defaultRetryOptions.baseDelayMs),
  maxDelayMs: Math.max(0, options.maxDelayMs ?? defaultRetryOptions.maxDelayMs),
  budgetMs: Math.max(0, options.budgetMs ?? defaultRetryOptions.budgetMs)
})

export type RetryPolicy = <A, E extends LlmError, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>

/**
 * Like {@link RetryPolicy}, but each attempt is built from its 1-based number, so the caller can
 * open a child span per attempt or tag it (`makeAttempt(1)` is the first try).
 */
export type RetryAttempts = <A, E extends LlmError, R>(
  makeAttempt: (attempt: number) => Effect.Effect<A, E, R>
) => Effect.Effect<A, E, R>

/**
 * Builds a policy over attempt factories. The budget starts when the returned effect starts,
 * so each run of it is its own logical request.
 */
export const retryAttempts = (options: RetryOptions = {}): RetryAttempts => {
  const resolved = resolve(options)
  const shouldRetry = (error: LlmError, attempt: number): Effect.Effect<boolean> => {
    if (options.shouldRetry === undefined) return Effect.succeed(isRetryable(error))
    const answer = options.shouldRetry(error, attempt)
    return typeof answer === "boolean" ? Effect.succeed(answer) : answer
  }
  const giveUp = <E extends LlmError>(error: E, attempts: number, reason: GiveUpReason, elapsedMs: number) =>
    (options.onGiveUp === undefined
      ? Effect.fail(error)
      : Effect.zipRight(options.onGiveUp({ attempts, error, reason, elapsedMs }), Effect.fail(error)))

  return <A, E extends LlmError, R>(makeAttempt: (attempt: number) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Clock.currentTimeMillis, (startedAt) => {
      const attempt = (n: number): Effect.Effect<A, E, R> =>
        Effect.catchAll(Effect.suspend(() => makeAttempt(n)), (error: E) =>
          Effect.gen(function*() {
            const elapsedMs = (yield* Clock.currentTimeMillis) - startedAt
            if (!(yield* shouldRetry(error, n))) return yield* giveUp(error, n, "not-retryable", elapsedMs)
            if (n >= resolved.maxAttempts) return yield* giveUp(error, n, "max-attempts", elapsedMs)
            const delayMs = yield* retryDelayMs(resolved, n, error)
            // The next attempt must start strictly inside the budget.
            if (delayMs >= resolved.budgetMs - elapsedMs) return yield* giveUp(error, n, "budget", elapsedMs)
            if (options.onRetry !== undefined) yield* options.onRetry({ attempt: n, error, delayMs, elapsedMs })
            yield* Effect.sleep(Duration.millis(delayMs))
            return yield* attempt(n + 1)
          }))
      return attempt(1)
    })
}

/** Builds a policy; apply it to the effect of ONE attempt (it is re-run per attempt). */
export const retryPolicy = (options: RetryOptions = {}): RetryPolicy => {
  const attempts = retryAttempts(options)
  return (effect) => attempts(() => effect)
}
