import { Either } from "effect"
import { describeError, type ErrorView } from "../../lib/errors.js"
import { toastError } from "../../lib/toast.js"

/**
 * What a page's data call ended with, as data the page renders: the value, or the failure in
 * words for people (already toasted) along with the error itself, for pages that branch on its
 * tag (`ResultsNotReady` shows "finish the quiz first", not an error).
 */
export type Outcome<A> =
  | { readonly _tag: "ok"; readonly value: A }
  | { readonly _tag: "failed"; readonly error: ErrorView; readonly cause: unknown }

export const tagOf = (u: unknown): string | undefined =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : undefined

/**
 * Turns a `callApi` result into an `Outcome`, toasting the failure under `toastKey` (one toast
 * per kind of failure, however often it is retried) unless `quiet` says the page handles that
 * error itself.
 */
export const toOutcome = <A, E>(
  result: Either.Either<A, E>,
  toastKey: string,
  quiet: (error: E) => boolean = () => false
): Outcome<A> => {
  if (Either.isRight(result)) return { _tag: "ok", value: result.right }
  if (!quiet(result.left)) toastError(result.left, toastKey)
  return { _tag: "failed", error: describeError(result.left), cause: result.left }
}
