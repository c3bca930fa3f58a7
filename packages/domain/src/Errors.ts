import { HttpApiSchema } from "@effect/platform"
import { Effect, FiberRef, ParseResult, Schema } from "effect"
import { ErrorCode, statusOf, type ErrorCode as Code } from "./ErrorCode.js"
import { CurrentRequestId } from "./RequestId.js"

/** One problem with the request: which field (a dotted path, "" for the whole body) and why. */
export class ErrorDetail extends Schema.Class<ErrorDetail>("ErrorDetail")({
  path: Schema.String,
  message: Schema.String
}) {}

/** The body of every failure: `{ error: { code, message, details?, requestId } }`. */
export const ErrorEnvelope = <C extends Code>(code: C) =>
  Schema.Struct({
    error: Schema.Struct({
      code: Schema.Literal(code),
      message: Schema.String,
      details: Schema.optional(Schema.Array(ErrorDetail)),
      requestId: Schema.String
    })
  })

export const AnyErrorEnvelope = Schema.Struct({
  error: Schema.Struct({
    code: ErrorCode,
    message: Schema.String,
    details: Schema.optional(Schema.Array(ErrorDetail)),
    requestId: Schema.String
  })
}).annotations({ identifier: "ErrorEnvelope" })

const errorFields = {
  message: Schema.String,
  details: Schema.optional(Schema.Array(ErrorDetail)),
  /** Filled from the envelope on the client; the server stamps the current request id when encoding. */
  requestId: Schema.optional(Schema.String)
}

type ErrorFields = {
  readonly message: string
  readonly details?: ReadonlyArray<ErrorDetail> | undefined
  readonly requestId?: string | undefined
}

/**
 * Puts an error class on the wire as the common envelope with a fixed code and status.
 * Encoding reads the current request id, so handlers never thread it by hand.
 */
const onTheWire = <A extends ErrorFields, I, C extends Code>(
  cls: Schema.Schema<A, I> & (new(fields: ErrorFields) => A),
  code: C
) =>
  Schema.transformOrFail(ErrorEnvelope(code), Schema.typeSchema(cls), {
    strict: true,
    decode: ({ error }) =>
      ParseResult.succeed(
        new cls({
          message: error.message,
          requestId: error.requestId,
          ...(error.details ? { details: error.details } : {})
        })
      ),
    encode: (e) =>
      Effect.map(FiberRef.get(CurrentRequestId), (requestId) => ({
        error: {
          code,
          message: e.message,
          requestId: e.requestId ?? requestId,
          ...(e.details ? { details: e.details } : {})
        }
      }))
  }).annotations(HttpApiSchema.annotations({ status: statusOf(code), description: code }))

export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", errorFields) {}
export class MalformedJson extends Schema.TaggedError<MalformedJson>()("MalformedJson", errorFields) {}
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", errorFields) {}
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", errorFields) {}
export class TokenExpired extends Schema.TaggedError<TokenExpired>()("TokenExpired", errorFields) {}
export class RefreshReused extends Schema.TaggedError<RefreshReused>()("RefreshReused", errorFields) {}
export class EmailTaken extends Schema.TaggedError<EmailTaken>()("EmailTaken", errorFields) {}
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", errorFields) {}
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", errorFields) {}
export class RouteNotFound extends Schema.TaggedError<RouteNotFound>()("RouteNotFound", errorFields) {}
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", errorFields) {}
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", errorFields) {}
export class UnsupportedMediaType
  extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", errorFields)
{}
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", errorFields) {}
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", errorFields) {}
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()("ServiceUnavailable", {
  ...errorFields,
  /**
   * Whole seconds until asking again may succeed, when the server knows (every LLM provider's
   * breaker open). Sent as the `Retry-After` header, not in the body, so never set on a decoded error.
   */
  retryAfterSeconds: Schema.optional(Schema.Int)
}) {}
export class UnknownQuestion extends Schema.TaggedError<UnknownQuestion>()("UnknownQuestion", errorFields) {}
export class QuestionsNotReady extends Schema.TaggedError<QuestionsNotReady>()("QuestionsNotReady", errorFields) {}
export class AssessmentCompleted extends Schema.TaggedError<AssessmentCompleted>()("AssessmentCompleted", errorFields) {}
export class AnswersIncomplete extends Schema.TaggedError<AnswersIncomplete>()("AnswersIncomplete", errorFields) {}
export class ResultsNotReady extends Schema.TaggedError<ResultsNotReady>()("ResultsNotReady", errorFields) {}
export class IdempotencyKeyReused
  extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", errorFields)
{}

/** The wire schemas, to use with `HttpApiEndpoint.addError` / `HttpApi.addError`. */
export const Wire = {
  ValidationFailed: onTheWire(ValidationFailed, "validation_failed"),
  MalformedJson: onTheWire(MalformedJson, "malformed_json"),
  Unauthorized: onTheWire(Unauthorized, "unauthorized"),
  InvalidCredentials: onTheWire(InvalidCredentials, "invalid_credentials"),
  TokenExpired: onTheWire(TokenExpired, "token_expired"),
  RefreshReused: onTheWire(RefreshReused, "refresh_reused"),
  EmailTaken: onTheWire(EmailTaken, "email_taken"),
  Forbidden: onTheWire(Forbidden, "forbidden"),
  NotFound: onTheWire(NotFound, "not_found"),
  RouteNotFound: onTheWire(RouteNotFound, "route_not_found"),
  Conflict: onTheWire(Conflict, "conflict"),
  PayloadTooLarge: onTheWire(PayloadTooLarge, "payload_too_large"),
  UnsupportedMediaType: onTheWire(UnsupportedMediaType, "unsupported_media_type"),
  RateLimited: onTheWire(RateLimited, "rate_limited"),
  InternalError: onTheWire(InternalError, "internal_error"),
  ServiceUnavailable: onTheWire(ServiceUnavailable, "service_unavailable"),
  UnknownQuestion: onTheWire(UnknownQuestion, "unknown_question"),
  QuestionsNotReady: onTheWire(QuestionsNotReady, "questions_not_ready"),
  AssessmentCompleted: onTheWire(AssessmentCompleted, "assessment_completed"),
  AnswersIncomplete: onTheWire(AnswersIncomplete, "answers_incomplete"),
  ResultsNotReady: onTheWire(ResultsNotReady, "results_not_ready"),
  IdempotencyKeyReused: onTheWire(IdempotencyKeyReused, "idempotency_key_reused")
} as const

/** Every error any route can answer with: added once at the API level. */
export const ApiErrors = [
  Wire.ValidationFailed,
  Wire.MalformedJson,
  Wire.RouteNotFound,
  Wire.PayloadTooLarge,
  Wire.UnsupportedMediaType,
  Wire.RateLimited,
  Wire.InternalError
] as const

/**
 * A request body schema that reports every invalid field, not just the first one, so a
 * `validation_failed` envelope names them all. Use it for every payload.
 */
export const RequestBody = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({ parseOptions: { errors: "all", onExcessProperty: "ignore" } })

type WireTag = keyof typeof Wire

/** The wire schema of a domain error, for code that encodes errors outside HttpApi (the fast path). */
export const wireOf = (error: { readonly _tag: string }): (typeof Wire)[WireTag] | undefined =>
  error._tag in Wire ? Wire[error._tag as WireTag] : undefined
