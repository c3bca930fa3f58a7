import type { AuthUser, LoginRequest, SignupRequest } from "@compilar/domain"
import { action } from "@solidjs/router"
import { Either } from "effect"
import { describeError } from "../errors.js"
import { runEither } from "../runtime.js"
import { toastError } from "../toast.js"
import { Session } from "./Session.js"
import {
  type FieldErrors,
  serverFieldErrors,
  type SignInField,
  signInFields,
  type SignUpField,
  signUpFields
} from "./validation.js"

/**
 * The account forms' mutations, as router actions (so `useSubmission` reports them pending and
 * the router revalidates its queries afterwards: what was cached for nobody is fetched again for
 * the learner). Failures come back as data for the form, and as a toast.
 */
export type FormOutcome<F extends string> =
  | { readonly _tag: "ok"; readonly user: AuthUser }
  | { readonly _tag: "failed"; readonly fields: FieldErrors<F>; readonly message: string | undefined }

const tagOf = (u: unknown): string | undefined =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : undefined

const outcome = <F extends string>(
  fields: ReadonlyArray<F>,
  result: Either.Either<AuthUser, unknown>,
  /** The field an `email_taken` answer is about, on the sign-up form. */
  emailField?: F
): FormOutcome<F> => {
  if (Either.isRight(result)) return { _tag: "ok", user: result.right }
  const error = result.left
  toastError(error, "account-form")
  const invalid = serverFieldErrors(fields, error)
  if (invalid !== undefined) {
    return { _tag: "failed", fields: invalid.fields, message: invalid.other.length > 0 ? invalid.other.join(" ") : undefined }
  }
  const message = describeError(error).message
  if (tagOf(error) === "EmailTaken" && emailField !== undefined) {
    const taken: FieldErrors<F> = {}
    taken[emailField] = message
    return { _tag: "failed", fields: taken, message: undefined }
  }
  return { _tag: "failed", fields: {}, message }
}

export const signIn = action(
  async (payload: typeof LoginRequest.Type): Promise<FormOutcome<SignInField>> =>
    outcome(signInFields, await runEither(Session.signIn(payload))),
  "signIn"
)

export const signUp = action(
  async (payload: typeof SignupRequest.Type): Promise<FormOutcome<SignUpField>> =>
    outcome(signUpFields, await runEither(Session.signUp(payload)), "email"),
  "signUp"
)

/** Sign out; the failure (the server could not be reached) is toasted and returned. */
export const signOut = action(async (): Promise<Either.Either<void, unknown>> => {
  const result = await runEither(Session.signOut)
  if (Either.isLeft(result)) toastError(result.left, "sign-out")
  return result
}, "signOut")
