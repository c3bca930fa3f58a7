import { AnyErrorEnvelope, CurrentRequestId, InternalError, statusOf, wireOf } from "@compilar/domain"
import type { HttpApiEndpoint, HttpMethod } from "@effect/platform"
import { HttpApiSchema } from "@effect/platform"
import { Cause, Context, Effect, Either, Option, type ParseResult, Schema } from "effect"

export interface FastResponse {
  readonly status: number
  /** JSON text, already encoded with the endpoint's schemas. */
  readonly body: string
}

/**
 * An endpoint of the contract served straight from node:http (see NodeServer.ts): its handler
 * runs as an Effect on the app's runtime, without the platform router and middleware that
 * cost most of a small request. Same contract: method, path and success schema come from the
 * HttpApi endpoint, failures leave as the same error envelope.
 */
export interface FastRoute {
  readonly method: string
  readonly path: string
  /**
   * The answer for one request. The request id is set for the fiber only when something
   * fails (error envelope, error log): on the success path that setting would cost more
   * than the handler. Fast routes are short, non-streaming, and log nothing on success.
   */
  readonly respond: (requestId: string) => Effect.Effect<FastResponse>
}

/** The fast routes the server answers before the platform sees the request. */
export class FastRoutes extends Context.Tag("Http/FastRoutes")<FastRoutes, ReadonlyArray<FastRoute>>() {}

const encodeEnvelope = Schema.encode(AnyErrorEnvelope)

const errorResponse = (error: { readonly _tag: string }): Effect.Effect<FastResponse> => {
  const wire = wireOf(error)
  if (wire === undefined) return Effect.die(error)
  return Schema.encodeUnknown(wire as Schema.Schema<unknown, unknown>)(error).pipe(
    Effect.flatMap((envelope) => encodeEnvelope(envelope as typeof AnyErrorEnvelope.Type)),
    Effect.map((envelope) => ({ status: statusOf(envelope.error.code), body: JSON.stringify(envelope) })),
    Effect.orDie
  )
}

const internalError = (cause: Cause.Cause<unknown>) =>
  Effect.logError("Unhandled failure", cause).pipe(
    Effect.zipRight(errorResponse(new InternalError({ message: "Something went wrong on our side." })))
  )

/**
 * Builds a fast route from an endpoint without path parameters, query, headers or body (the
 * type says so: those inputs go through the platform, which decodes them) and a handler whose
 * services are already provided.
 */
export const fromEndpoint = <Name extends string, Method extends HttpMethod.HttpMethod, A, E extends { readonly _tag: string }>(
  endpoint: HttpApiEndpoint.HttpApiEndpoint<Name, Method, never, never, never, never, A, E>,
  handler: Effect.Effect<A, E>
): FastRoute => {
  // The synchronous encoder: the schemas on a fast route have no effectful transformations.
  const encodeEither = Schema.encodeEither(endpoint.successSchema)
  // Values are immutable: a handler that answers the same value again (a cached report) is
  // encoded once.
  let last: { readonly value: A; readonly response: Either.Either<FastResponse, ParseResult.ParseError> } | undefined
  const answer = (value: A) => {
    if (last === undefined || last.value !== value) {
      last = { value, response: Either.map(encodeEither(value), (body) => ({ status, body: JSON.stringify(body) })) }
    }
    return last.response
  }
  const status = HttpApiSchema.getStatusSuccess(endpoint.successSchema)
  return {
    method: endpoint.method,
    path: endpoint.path,
    respond: (requestId) =>
      handler.pipe(
        Effect.flatMap((value) => Effect.orDie(answer(value))),
        Effect.catchAllCause((cause) =>
          Option.match(Cause.failureOption(cause), {
            onSome: errorResponse,
            onNone: () => internalError(cause)
          }).pipe(Effect.annotateLogs("requestId", requestId), Effect.locally(CurrentRequestId, requestId))
        )
      )
  }
}
