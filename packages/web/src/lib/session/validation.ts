import { LoginRequest, passwordProblem, SignupRequest } from "@compilar/domain"
import { Either, ParseResult, Schema } from "effect"

/**
 * The sign-in and sign-up forms, checked in the browser with the contract's own request
 * schemas and the domain's `passwordProblem` (what the server enforces), so the learner sees
 * the server's words beside the field before anything is sent.
 */

export type SignInField = "email" | "password"
export type SignUpField = "email" | "password" | "displayName"

/** The message for each wrong field (the first one found per field). */
export type FieldErrors<F extends string> = Partial<Record<F, string>>

export interface SignInInput {
  readonly email: string
  readonly password: string
}

export interface SignUpInput {
  readonly email: string
  readonly password: string
  readonly displayName: string
}

const firstPerField = <F extends string>(
  fields: ReadonlyArray<F>,
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>
): FieldErrors<F> => {
  const errors: FieldErrors<F> = {}
  for (const issue of issues) {
    const field = fields.find((f) => f === issue.path)
    if (field !== undefined && errors[field] === undefined) errors[field] = issue.message
  }
  return errors
}

const schemaIssues = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message
  }))

const decodeSignIn = Schema.decodeUnknownEither(LoginRequest, { errors: "all" })
const decodeSignUp = Schema.decodeUnknownEither(SignupRequest, { errors: "all" })

const signInFields: ReadonlyArray<SignInField> = ["email", "password"]
const signUpFields: ReadonlyArray<SignUpField> = ["email", "password", "displayName"]

/** The payload to send (email trimmed), or why not. */
export const validateSignIn = (
  input: SignInInput
): Either.Either<typeof LoginRequest.Type, FieldErrors<SignInField>> =>
  Either.mapLeft(decodeSignIn(input), (error) => firstPerField(signInFields, schemaIssues(error)))

/** The payload to send (email and name trimmed), or why not; the password must pass `passwordProblem`. */
export const validateSignUp = (
  input: SignUpInput
): Either.Either<typeof SignupRequest.Type, FieldErrors<SignUpField>> => {
  const decoded = decodeSignUp(input)
  const errors = Either.isLeft(decoded) ? firstPerField(signUpFields, schemaIssues(decoded.left)) : {}
  const weak = errors.password === undefined ? passwordProblem(input.password, input.email) : undefined
  const all: FieldErrors<SignUpField> = weak === undefined ? errors : { ...errors, password: weak }
  if (Either.isRight(decoded) && Object.keys(all).length === 0) return Either.right(decoded.right)
  return Either.left(all)
}

/** Whether `errors` names no field. */
export const isClean = <F extends string>(errors: FieldErrors<F>): boolean =>
  Object.values(errors).every((message) => message === undefined)

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/**
 * A server `validation_failed` answer's `details`, split into the fields this form shows and the
 * rest (a message for the whole form). Undefined when the error is not a validation failure.
 */
export const serverFieldErrors = <F extends string>(
  fields: ReadonlyArray<F>,
  error: unknown
): { readonly fields: FieldErrors<F>; readonly other: ReadonlyArray<string> } | undefined => {
  if (!isRecord(error) || error["_tag"] !== "ValidationFailed") return undefined
  const details = Array.isArray(error["details"]) ? (error["details"] as ReadonlyArray<unknown>) : []
  const issues = details.flatMap((d) =>
    isRecord(d) && typeof d["path"] === "string" && typeof d["message"] === "string"
      ? [{ path: d["path"], message: d["message"] }]
      : []
  )
  return {
    fields: firstPerField(fields, issues),
    other: issues.filter((issue) => !fields.some((f) => f === issue.path)).map((issue) => issue.message)
  }
}

export { signInFields, signUpFields }
