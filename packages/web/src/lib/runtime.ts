import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { ApiClient } from "./ApiClient.js"
import { Session, withRenewal } from "./session/Session.js"

/** Everything the app's effects may ask for. Add services here, never a second runtime. */
export type AppServices = ApiClient | Session

const AppLayer: Layer.Layer<AppServices> = Layer.provideMerge(Session.DefaultWithoutDependencies, ApiClient.Default)

/** The one runtime of the app: builds the layers once, lazily, on the first run. */
export const runtime = ManagedRuntime.make(AppLayer)

export interface RunOptions {
  /** Interrupts the effect (and its fetch) when aborted, e.g. when a query is superseded. */
  readonly signal?: AbortSignal | undefined
}

/** Runs an effect; any failure rejects the promise. For defects and "should never happen" paths. */
export const run = <A, E>(effect: Effect.Effect<A, E, AppServices>, options?: RunOptions): Promise<A> =>
  runtime.runPromise(effect, options?.signal ? { signal: options.signal } : undefined)

/**
 * Runs an effect and turns its expected failures into data: resolves with `Either.right(value)` or
 * `Either.left(error)`. Pages render the left side (and toast it); only defects reject, and those
 * reach the ErrorBoundary.
 */
export const runEither = <A, E>(
  effect: Effect.Effect<A, E, AppServices>,
  options?: RunOptions
): Promise<Either.Either<A, E>> => run(Effect.either(effect), options)

/**
 * Shorthand: run a function of the typed API client, failures as data. A call refused because
 * the access token expired is retried once after a silent refresh (see `withRenewal`).
 */
export const callApi = <A, E>(
  f: (client: ApiClient) => Effect.Effect<A, E, AppServices>,
  options?: RunOptions
): Promise<Either.Either<A, E>> => runEither(withRenewal(Effect.flatMap(ApiClient, f)), options)
