import { AnyErrorEnvelope, CurrentRequestId, InternalError, MalformedJson, statusOf, ValidationFailed, wireOf } from "@compilar/domain"
import type { HttpApiEndpoint, HttpMethod } from "@effect/platform"
import { HttpApiSchema } from "@effect/platform"
import { Cause, Context, Effect, Either, Option, ParseResult, Schema } from "effect"
import type { IncomingHttpHeaders } from "node:http"
import { fieldDetails } from "./FrameworkErrors.js"

/** What a fast route may read of its request: the headers, as node:http gives them (names lower-cased). */
export interface FastRequest {
  readonly headers: IncomingHttpHeaders
  /** A pattern route's path parameters (`:id` → `params.id`), URI-decoded. */
  readonly params?: Readonly<Record<string, string>> | undefined
  /** A body route's body, as text. */
  readonly body?: string | undefined
  /** The socket's peer, for per-address rate limits (`ClientAddress.ofPeer`); set for pattern and body routes. */
  readonly remoteAddress?: string | undefined
  /** The connection the request came on (its socket), for per-connection memos. */
  readonly socket?: object | undefined
}

export interface FastResponse {
  readonly status: number
  /** JSON text, already encoded with the endpoint's schemas. */
  readonly body: string
  /**
   * Headers the handler added (rate-limit headers…), beside the edge's own: never one the edge
   * sets (security, cache, CORS, request id, content type and length), which would go out twice.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * Headers for the answer, whichever it turns out to be (success or error envelope), as a
 * platform middleware adds them with a pre-response handler.
 */
export interface ResponseHeaders {
  readonly add: (headers: Readonly<Record<string, string>>) => void
}

/**
 * One request's added headers. A class, not a closure: the server runs under tsx, whose
 * `keepNames` makes every named closure created per request cost a `defineProperty`.
 */
class CollectedHeaders implements ResponseHeaders {
  /** Never mutated: the first object is kept as given, later ones merged into a copy. */
  headers: Readonly<Record<string, string>> | undefined = undefined

  add(headers: Readonly<Record<string, string>>) {
    this.headers = this.headers === undefined ? headers : { ...this.headers, ...headers }
  }

  onto(response: FastResponse): FastResponse {
    return this.headers === undefined ? response : { status: response.status, body: response.body, headers: this.headers }
  }
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
  readonly respond: (requestId: string, request: FastRequest) => Effect.Effect<FastResponse>
  /**
   * Set for a route with path parameters: `path` is then a pattern (`/a/:id/b`) matched segment
   * by segment, and `params` carries the values. Pattern routes are looked up only when no exact
   * route matches.
   */
  readonly pattern?: boolean
  /**
   * Set for a route that reads a JSON body. The server takes the fast path only for a request
   * that the edge would let through untouched (`application/json`, a Content-Length from 1 to
   * the body limit); any other goes to the platform, which answers 411, 413 or 415 as usual.
   */
  readonly body?: boolean
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

/** The bearer token exactly as `HttpApiSecurity.bearer` reads it: the Authorization header minus its first 7 characters ("Bearer "), "" without one. */
export const bearerToken = (request: FastRequest): string => (request.headers.authorization ?? "").slice(7)

/** The answer to one request, given where the handler's extra headers go. */
type Respond = (requestId: string, request: FastRequest, headers: ResponseHeaders) => Effect.Effect<FastResponse>

const build = <A, E extends { readonly _tag: string }>(
  endpoint: { readonly successSchema: Schema.Schema<A, unknown> },
  handler: (request: FastRequest, headers: ResponseHeaders) => Effect.Effect<A, E>
): Respond => {
  // The synchronous encoder: the schemas on a fast route have no effectful transformations.
  const encodeEither = Schema.encodeEither(endpoint.successSchema)
  const encode = (value: A) => Either.map(encodeEither(value), (body): FastResponse => ({ status, body: JSON.stringify(body) }))
  // Values are immutable: a handler that answers the same object again (a cached report, a
  // cached profile) has it encoded once, for as long as the object lives.
  const encoded = new WeakMap<object, Either.Either<FastResponse, ParseResult.ParseError>>()
  const answer = (value: A) => {
    if (typeof value !== "object" || value === null) return encode(value)
    let response = encoded.get(value)
    if (response === undefined) {
      response = encode(value)
      encoded.set(value, response)
    }
    return response
  }
  const status = HttpApiSchema.getStatusSuccess(endpoint.successSchema)
  return (requestId, request, headers) =>
    handler(request, headers).pipe(
      Effect.flatMap((value) => Effect.orDie(answer(value))),
      Effect.catchAllCause((cause) =>
        Option.match(Cause.failureOption(cause), {
          onSome: errorResponse,
          onNone: () => internalError(cause)
        }).pipe(Effect.annotateLogs("requestId", requestId), Effect.locally(CurrentRequestId, requestId))
      )
    )
}

const noHeaders: ResponseHeaders = { add: () => {} }

/**
 * Builds a fast route from an endpoint without path parameters, query, headers or body (the
 * type says so: those inputs go through the platform, which decodes them) and a handler whose
 * services are already provided.
 */
export const fromEndpoint = <Name extends string, Method extends HttpMethod.HttpMethod, A, E extends { readonly _tag: string }>(
  endpoint: HttpApiEndpoint.HttpApiEndpoint<Name, Method, never, never, never, never, A, E>,
  handler: Effect.Effect<A, E>
): FastRoute => {
  const respond = build(endpoint, () => handler)
  return { method: endpoint.method, path: endpoint.path, respond: (requestId, request) => respond(requestId, request, noHeaders) }
}

/**
 * The same for an endpoint behind middleware (authentication, rate limits): the handler reads
 * what it needs from the request (`bearerToken`) and applies the middleware's semantics itself:
 * same checks, same errors (each with its wire schema), same headers (`headers.add`). A test
 * must compare it with the platform path.
 */
export const fromAuthenticatedEndpoint = <
  Name extends string,
  Method extends HttpMethod.HttpMethod,
  A,
  E,
  R,
  HandlerError extends { readonly _tag: string }
>(
  endpoint: HttpApiEndpoint.HttpApiEndpoint<Name, Method, never, never, never, never, A, E, R>,
  handler: (request: FastRequest, headers: ResponseHeaders) => Effect.Effect<A, HandlerError>
): FastRoute => {
  // `R` on an endpoint names its middleware; its success schema itself needs no service.
  const respond = build({ successSchema: endpoint.successSchema as Schema.Schema<A, unknown> }, handler)
  return {
    method: endpoint.method,
    path: endpoint.path,
    respond: (requestId, request) => {
      const headers = new CollectedHeaders()
      return Effect.map(respond(requestId, request, headers), (response) => headers.onto(response))
    }
  }
}

/**
 * The same for an endpoint with path parameters and/or a JSON body (`body`; a body route
 * without parameters is an exact path, matched the same way): the handler decodes
 * `request.params` and `request.body` itself with the endpoint's schemas, after applying its
 * middleware's semantics like `fromAuthenticatedEndpoint`, and answers decoding failures as the
 * platform does (`malformed_json`, `validation_failed` naming each field: `invalidRequest`). A
 * test must compare it with the platform path.
 */
export const fromPatternEndpoint = <A, HandlerError extends { readonly _tag: string }>(
  endpoint: { readonly method: string; readonly path: string; readonly successSchema: Schema.Schema<A, unknown> },
  options: { readonly body: boolean },
  handler: (request: FastRequest, headers: ResponseHeaders) => Effect.Effect<A, HandlerError>
): FastRoute => {
  const respond = build(endpoint, handler)
  return {
    method: endpoint.method,
    path: endpoint.path,
    pattern: true,
    body: options.body,
    respond: (requestId, request) => {
      const headers = new CollectedHeaders()
      return Effect.map(respond(requestId, request, headers), (response) => headers.onto(response))
    }
  }
}

/** A body route's body parsed as JSON, or `malformed_json` as the platform answers text that is not JSON. */
export const jsonBody = (request: FastRequest): Either.Either<unknown, MalformedJson> => {
  try {
    return Either.right(JSON.parse(request.body ?? ""))
  } catch {
    return Either.left(new MalformedJson({ message: "The request body is not valid JSON." }))
  }
}

/** A decoding failure as the platform answers it: 400 `validation_failed`, one detail per field. */
export const invalidRequest = (error: ParseResult.ParseError) =>
  new ValidationFailed({ message: "The request is invalid.", details: fieldDetails(ParseResult.ArrayFormatter.formatErrorSync(error)) })

