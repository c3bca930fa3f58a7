import { Api, ErrorDetail, InternalError, MalformedJson, PayloadTooLarge, RouteNotFound, ValidationFailed } from "@compilar/domain"
import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { HttpApiDecodeError } from "@effect/platform/HttpApiError"
import * as ServerError from "@effect/platform/HttpServerError"
import { Cause, Effect, Option } from "effect"

/**
 * One detail per field. A value outside a union of literals comes back from the schema as one
 * issue per alternative; they are merged into `Expected one of "a", "b", actual "x"`.
 */
export const fieldDetails = (issues: HttpApiDecodeError["issues"]): Array<ErrorDetail> => {
  const byPath = new Map<string, Array<string>>()
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    byPath.set(path, [...(byPath.get(path) ?? []), issue.message])
  }
  return Array.from(byPath, ([path, messages]) => {
    const alternatives = messages.map((message) => /^Expected (.+), actual (.+)$/.exec(message))
    const actual = alternatives[0]?.[2]
    const merged = messages.length > 1 && alternatives.every((m) => m !== null && m[2] === actual)
      ? `Expected one of ${alternatives.map((m) => m![1]).join(", ")}, actual ${actual}`
      : messages.join("; ")
    return new ErrorDetail({ path, message: merged })
  })
}

const validationFailed = (error: HttpApiDecodeError) =>
  new ValidationFailed({ message: "The request is invalid.", details: fieldDetails(error.issues) })

/** The platform reports an over-limit body as a decode failure; only its cause tells them apart. */
const isBodyTooLarge = (error: ServerError.RequestError) =>
  /size|too large|exceed/i.test(String(error.cause ?? "") + (error.description ?? ""))

const requestFailed = (error: ServerError.RequestError) =>
  isBodyTooLarge(error)
    ? new PayloadTooLarge({ message: "The request body exceeds the size limit." })
    : new MalformedJson({ message: "The request body is not valid JSON." })

const routeNotFound = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
  Effect.fail(new RouteNotFound({ message: `No route for ${request.method} ${request.url}.` })))

const internalError = (cause: Cause.Cause<unknown>) =>
  Effect.logError("Unhandled failure", cause).pipe(
    Effect.zipRight(Effect.fail(new InternalError({ message: "Something went wrong on our side." })))
  )

/**
 * Turns the platform's own failures (no route, schema decode, unreadable body) and any
 * defect into domain errors, so that every failure leaves as the one error envelope.
 * Registered at the API level: it runs inside HttpApi's error encoding.
 */
type Mapped = Effect.Effect<
  never,
  RouteNotFound | ValidationFailed | MalformedJson | PayloadTooLarge | InternalError,
  HttpServerRequest.HttpServerRequest
>

const mapFailure = (cause: Cause.Cause<unknown>): Mapped => {
  if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
  // The platform raises an unreadable body as a defect, not a failure: look at both.
  const error = Cause.squash(cause)
  if (ServerError.isServerError(error)) {
    if (error._tag === "RouteNotFound") return routeNotFound
    if (error._tag === "RequestError") return Effect.fail(requestFailed(error))
    return internalError(cause)
  }
  if (error instanceof HttpApiDecodeError) return Effect.fail(validationFailed(error))
  if (Option.isNone(Cause.failureOption(cause))) return internalError(cause)
  // Anything else is one of the API's own errors: HttpApi encodes it as declared.
  return Effect.failCause(cause as Cause.Cause<never>)
}

export const FrameworkErrorsLive = HttpApiBuilder.middleware(Api, (app) => Effect.catchAllCause(app, mapFailure))
