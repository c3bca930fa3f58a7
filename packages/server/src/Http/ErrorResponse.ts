import type { ErrorCode, ErrorDetail } from "@compilar/domain"
import { AnyErrorEnvelope, CurrentRequestId, statusOf } from "@compilar/domain"
import { HttpServerResponse } from "@effect/platform"
import { Effect, FiberRef } from "effect"

/**
 * The error envelope for failures answered at the HTTP edge, before the HttpApi
 * (body too large, unsupported media type). Same shape and codes as every API error.
 */
export const errorResponse = (
  code: ErrorCode,
  message: string,
  options?: { readonly details?: ReadonlyArray<ErrorDetail>; readonly headers?: Record<string, string> }
) =>
  Effect.map(FiberRef.get(CurrentRequestId), (requestId) => {
    const body: typeof AnyErrorEnvelope.Encoded = {
      error: { code, message, requestId, ...(options?.details ? { details: options.details } : {}) }
    }
    return HttpServerResponse.unsafeJson(body, {
      status: statusOf(code),
      ...(options?.headers ? { headers: options.headers } : {})
    })
  })
