import { Data, Effect } from "effect"
import { type Agent, type IncomingHttpHeaders, request } from "node:http"

/**
 * One HTTP request with node:http: over its own connection unless an `agent` is given (then
 * kept alive as that agent decides), and with no URL normalisation (the path goes on the
 * wire exactly as given). For what `fetch` hides: `..` in paths, refused or cut connections,
 * the `connection` header, timing one request against a shutdown.
 */
export interface RawResponse {
  readonly status: number
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** The connection failed or was cut before a complete response: `code` is Node's (ECONNREFUSED, ECONNRESET…). */
export class RawHttpError extends Data.TaggedError("RawHttpError")<{
  readonly code: string
  readonly message: string
}> {}

export const rawRequest = (
  baseUrl: string,
  path: string,
  options: {
    readonly method?: string
    readonly headers?: Record<string, string>
    readonly agent?: Agent
    /** Sent as is; give `content-length` (and `content-type`) in `headers` yourself. */
    readonly body?: string
  } = {}
): Effect.Effect<RawResponse, RawHttpError> =>
  Effect.async<RawResponse, RawHttpError>((resume) => {
    const url = new URL(baseUrl)
    const req = request({
      host: url.hostname,
      port: url.port,
      path,
      method: options.method ?? "GET",
      headers: options.headers ?? {},
      agent: options.agent ?? false
    }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () =>
        resume(Effect.succeed({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8")
        })))
      res.on("error", (error: NodeJS.ErrnoException) =>
        resume(Effect.fail(new RawHttpError({ code: error.code ?? "ERESPONSE", message: error.message }))))
    })
    req.on("error", (error: NodeJS.ErrnoException) =>
      resume(Effect.fail(new RawHttpError({ code: error.code ?? "EREQUEST", message: error.message }))))
    req.end(options.body)
    return Effect.sync(() => req.destroy())
  })
