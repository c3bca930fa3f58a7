import { CurrentRequestId } from "@compilar/domain"
import { HttpApp, HttpIncomingMessage, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Cause, Chunk, Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import type { ServerConfigShape } from "../Config.js"
import type { AccessLog } from "./AccessLog.js"
import { makeCors } from "./Cors.js"
import { errorResponse } from "./ErrorResponse.js"
import { apiSecurityHeaders, documentSecurityHeaders, isDocument } from "./SecurityHeaders.js"

/** A caller-supplied id is kept when it is short and plain, so traces can be joined up. */
const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/

export const requestIdFrom = (header: string | undefined): string =>
  header !== undefined && validRequestId.test(header) ? header : randomUUID()

/** The part of `responseHeaders` that depends only on what the answer is. */
const fixedHeaders = (contentType: string | undefined, cacheControl: string | undefined): Record<string, string> => ({
  ...(isDocument(contentType) ? documentSecurityHeaders : apiSecurityHeaders),
  ...(cacheControl === undefined && !isDocument(contentType) ? { "cache-control": "no-store" } : {})
})

/**
 * The headers every answer carries, on the platform path and the fast path alike. JSON is
 * `no-store` unless the handler chose a cache policy: learner data must not sit in caches.
 */
export const responseHeaders = (
  contentType: string | undefined,
  cacheControl: string | undefined,
  cors: Record<string, string> | undefined,
  requestId: string
): Record<string, string> => ({ ...fixedHeaders(contentType, cacheControl), ...cors, "x-request-id": requestId })

/**
 * `responseHeaders` of a JSON answer without CORS and request id, as the flat name/value list
 * node's `writeHead` takes, built once: the fast path (NodeServer.ts) appends the rest per
 * request. An object assembled by spreads per request cost ≈ 5 µs of a fast answer's ≈ 60
 * (building it, then node enumerating it), the list ≈ 1.5 µs (README, Performance).
 */
export const jsonHeaderList: ReadonlyArray<string> = Object.entries(fixedHeaders("application/json", undefined)).flat()

/** Files carry their type in a header, generated bodies in the body. */
const contentTypeOf = (response: HttpServerResponse.HttpServerResponse): string | undefined =>
  response.headers["content-type"] ?? (response.body._tag === "Empty" ? undefined : response.body.contentType)

/**
 * An interrupted request (its client went away, or the server stopped it) is not an error.
 * The platform hands it over with the response it gave up on attached as a defect, so
 * `Cause.isInterruptedOnly` alone would log every client disconnect as a failure.
 */
const isInterruption = (cause: Cause.Cause<unknown>): boolean =>
  Cause.isInterrupted(cause) && Chunk.isEmpty(Cause.failures(cause)) &&
  Chunk.every(Cause.defects(cause), HttpServerResponse.isServerResponse)

/** Milliseconds since `started`, to two decimals, for the access log. */
export const elapsedMs = (started: number) => Math.round((performance.now() - started) * 100) / 100

/**
 * The HTTP edge, one middleware around the whole app: request id (header, logs, error
 * envelopes), body-size limit, CORS allow-list, security headers and one access-log line.
 * One function with one pre-response step on purpose: every separate platform middleware
 * costs measurable throughput on small requests (see the README's performance notes).
 *
 * Bodies must declare their length: an over-limit Content-Length is refused with 413 before
 * a byte is read, and a chunked body with 411. (The platform's own streaming limit can only
 * drop the connection mid-body, which a client cannot tell from a network failure.)
 */
export const edge = (
  config: Pick<ServerConfigShape, "corsOrigins" | "bodyLimitBytes">,
  accessLog: AccessLog["Type"]
) => {
  const cors = makeCors(config.corsOrigins)
  const limit = Option.some(config.bodyLimitBytes)

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> => {
    const limited = HttpIncomingMessage.withMaxBodySize(app, limit)
    return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      // The platform builds a fresh Headers object on every `request.headers` access.
      const incoming = request.headers
      const requestId = requestIdFrom(incoming["x-request-id"])
      const started = performance.now()
      const origin = incoming["origin"]
      const corsHeaders = cors.response(origin)
      const closing = { ...responseHeaders("application/json", undefined, corsHeaders, requestId), connection: "close" }

      const handled: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =
        request.method === "OPTIONS" && incoming["access-control-request-method"] !== undefined
          ? Effect.succeed(
            HttpServerResponse.empty({ status: 204, headers: { ...apiSecurityHeaders, ...cors.preflight(origin) } })
          )
          : refusal(incoming, config.bodyLimitBytes, closing) ?? Effect.zipRight(
            // Middleware sees the response only after it was sent; headers go on before that.
            HttpApp.appendPreResponseHandler((_, response) =>
              Effect.succeed(
                HttpServerResponse.setHeaders(
                  response,
                  responseHeaders(
                    contentTypeOf(response),
                    response.headers["cache-control"],
                    corsHeaders,
                    requestId
                  )
                )
              )
            ),
            Effect.catchAllCause(limited, (cause) =>
              isInterruption(cause)
                ? Effect.interrupt
                : Effect.logError("Request failed outside the API", cause).pipe(
                  Effect.zipRight(errorResponse("internal_error", "Something went wrong on our side."))
                ))
          )

      return handled.pipe(
        accessLog.enabled
          ? Effect.tap((response) =>
            Effect.sync(() =>
              accessLog.record({
                requestId,
                method: request.method,
                path: request.url,
                status: response.status,
                durationMs: elapsedMs(started)
              })
            )
          )
          : (self) => self,
        Effect.annotateLogs("requestId", requestId),
        Effect.locally(CurrentRequestId, requestId)
      )
    })
  }
}

const isJson = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(contentType)

/**
 * 411 for a body of unknown length, 413 for a declared length over the limit, 415 for a body
 * that is not JSON (every API body is), else nothing.
 */
const refusal = (
  incoming: Readonly<Record<string, string | undefined>>,
  bodyLimitBytes: number,
  headers: Record<string, string>
) => {
  const declared = incoming["content-length"]
  if (declared === undefined) {
    return incoming["transfer-encoding"] === undefined
      ? undefined
      : errorResponse("length_required", "Send the request body with a Content-Length header.", { headers })
  }
  const length = Number(declared)
  if (Number.isFinite(length) && length > bodyLimitBytes) {
    return errorResponse("payload_too_large", `The request body exceeds ${bodyLimitBytes} bytes.`, { headers })
  }
  return length > 0 && !isJson(incoming["content-type"])
    ? errorResponse("unsupported_media_type", "Send the request body as application/json.", { headers })
    : undefined
}
