import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { Duration, Effect, type Fiber, type Layer, Queue } from "effect"

/**
 * A deterministic signal that a request is in flight: an API-level middleware that reports
 * each request as its handler starts, with the fiber serving it (awaiting that fiber waits
 * for everything the server does for the request, logs included). Merge `layer` into the
 * test server's `api`: `api: Layer.merge(TestApiLive, signal.layer)`.
 */
export interface StartedRequest {
  readonly url: string
  readonly fiber: Fiber.RuntimeFiber<unknown, unknown>
}

export interface InFlight {
  readonly layer: Layer.Layer<never>
  /** The next request for exactly this URL (path and query), once its handler has started (5 s at most). */
  readonly started: (url: string) => Effect.Effect<StartedRequest, Error>
}

export const makeInFlight: Effect.Effect<InFlight> = Effect.map(Queue.unbounded<StartedRequest>(), (queue) => ({
  layer: HttpApiBuilder.middleware((app) =>
    Effect.zipRight(
      Effect.withFiberRuntime<boolean, never, HttpServerRequest.HttpServerRequest>((fiber) =>
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => Queue.offer(queue, { url: request.url, fiber }))
      ),
      app
    )
  ),
  started: (url) =>
    Queue.take(queue).pipe(
      Effect.repeat({ until: (request) => request.url === url }),
      Effect.timeoutFail({ duration: Duration.seconds(5), onTimeout: () => new Error(`${url} never started`) })
    )
}))
