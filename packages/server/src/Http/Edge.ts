import { CurrentRequestId } from "@compilar/domain"
import { HttpApp, HttpIncomingMessage, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import { randomUUID } from "node:crypto"
import type { ServerConfigShape } from "../Config.js"
import { errorResponse } from "./ErrorResponse.js"
import { securityHeaders } from "./SecurityHeaders.js"

/** A caller-supplied id is kept when it is short and plain, so traces can be joined up. */
const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/

export const requestIdFrom = (header: string | undefined): string =>
  header !== undefined && validRequestId.test(header) ? header : randomUUID()

/** Headers a browser on an allowed origin may send and read. */
export const corsAllowedHeaders = ["authorization", "content-type", "idempotency-key", "last-event-id", "x-request-id"]
export const corsExposedHeaders = [
  "x-request-id",
  "retry-after",
  "ratelimit-limit",
  "ratelimit-remaining",
  "ratelimit-reset",
  "ratelimit-policy"
]

const declaredLength = (request: HttpServerRequest.HttpServerRequest): number | undefined => {
  const header = request.headers["content-length"]
  if (header === undefined) return undefined
  const length = Number(header)
  return Number.isFinite(length) ? length : undefined
}

/**
 * The HTTP edge, one middleware around the whole app: request id (header, logs, error
 * envelopes), body-size limit, CORS allow-list, security headers and one access-log line.
 *
 * Bodies must declare their length: an over-limit Content-Length is refused with 413 before
 * a byte is read, and a chunked body with 411. (The platform's own streaming limit can only
 * drop the connection mid-body, which a client cannot tell from a network failure.)
 * Kept as a single function on purpose: each separate platform middleware costs a few
 * percent of throughput on small requests (see the README's performance notes).
 */
export const edge = (config: Pick<ServerConfigShape, "corsOrigins" | "bodyLimitBytes" | "accessLog">) => {
  const allowed = new Set(config.corsOrigins)
  const cors = HttpMiddleware.cors({
    allowedOrigins: (origin) => allowed.has(origin),
    allowedHeaders: corsAllowedHeaders,
    exposedHeaders: corsExposedHeaders,
    credentials: true,
    maxAge: 600
  })
  const limit = Option.some(config.bodyLimitBytes)

  return <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> => {
    const limited = HttpIncomingMessage.withMaxBodySize(cors(app), limit)
    return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const requestId = requestIdFrom(request.headers["x-request-id"])
      const started = performance.now()
      const length = declaredLength(request)
      const headers = { ...securityHeaders, "x-request-id": requestId }
      // Middleware sees the response only after it was sent; headers go on in a pre-response handler.
      const stamp = HttpApp.appendPreResponseHandler((_, response) =>
        Effect.succeed(HttpServerResponse.setHeaders(response, headers))
      )
      const refusal = length === undefined
        ? request.headers["transfer-encoding"] === undefined
          ? undefined
          : errorResponse("length_required", "Send the request body with a Content-Length header.", {
            headers: { ...headers, connection: "close" }
          })
        : length > config.bodyLimitBytes
        ? errorResponse("payload_too_large", `The request body exceeds ${config.bodyLimitBytes} bytes.`, {
          headers: { ...headers, connection: "close" }
        })
        : undefined
      const handled: Effect.Effect<HttpServerResponse.HttpServerResponse, never, R | HttpServerRequest.HttpServerRequest> =
        refusal !== undefined
          ? refusal
          : Effect.zipRight(
            stamp,
            Effect.catchAllCause(limited, (cause) =>
              Cause.isInterruptedOnly(cause)
                ? Effect.interrupt
                : Effect.logError("Request failed outside the API", cause).pipe(
                  Effect.zipRight(errorResponse("internal_error", "Something went wrong on our side."))
                ))
          )
      return handled.pipe(
        config.accessLog
          ? Effect.tap((response) =>
            Effect.logInfo("request").pipe(
              Effect.annotateLogs({
                method: request.method,
                path: request.url,
                status: response.status,
                durationMs: Math.round((performance.now() - started) * 100) / 100
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
