import { Resource } from "@effect/opentelemetry"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { createServer, type IncomingHttpHeaders } from "node:http"
import { ServerConfig } from "../src/Config.js"
import { recordCall } from "../src/Llm/Observability.js"
import { otlpUrl, TelemetryLive } from "../src/Telemetry.js"
import { testConfig } from "./support/TestServer.js"

/**
 * Telemetry is off unless an OTLP endpoint is configured; when it is, spans and metrics reach
 * that endpoint over OTLP/HTTP, at the latest when the layer's scope closes (shutdown flushes
 * the batch processor and exports the metrics once more). The collector here is a node:http server recording what it receives.
 */
interface Received {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

const collector = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: ReadonlyArray<Received>; readonly close: () => void }, Error>(
    (resume) => {
      const received: Array<Received> = []
      const server = createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) })
          res.writeHead(200, { "content-type": String(req.headers["content-type"] ?? "application/json") })
          res.end()
        })
      })
      server.once("error", (error) => resume(Effect.fail(error)))
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        if (address === null || typeof address === "string") return resume(Effect.fail(new Error("no TCP address")))
        resume(Effect.succeed({
          url: `http://127.0.0.1:${address.port}`,
          received,
          close: () => {
            server.closeAllConnections()
            server.close()
          }
        }))
      })
    }
  ),
  ({ close }) => Effect.sync(close)
)

/** The parts of an OTLP/HTTP JSON metrics export the test reads. */
interface ExportRequest {
  readonly resourceMetrics: ReadonlyArray<{
    readonly resource: { readonly attributes: ReadonlyArray<Attribute> }
    readonly scopeMetrics: ReadonlyArray<{ readonly metrics: ReadonlyArray<MetricJson> }>
  }>
}
interface Attribute {
  readonly key: string
  readonly value: { readonly stringValue?: string }
}
interface MetricJson {
  readonly name: string
  readonly unit: string
  readonly histogram?: {
    readonly dataPoints: ReadonlyArray<{ readonly attributes: ReadonlyArray<Attribute>; readonly count: number; readonly sum: number }>
  }
}

const telemetry = (config: Parameters<typeof testConfig>[0]) =>
  TelemetryLive.pipe(Layer.provide(ServerConfig.layer(testConfig(config))))

describe("TelemetryLive", () => {
  it.live("without an OTLP endpoint it provides nothing: the default tracer stays, no resource", () =>
    Effect.gen(function*() {
      const defaultTracer = yield* Effect.tracer
      const [tracer, resource, span] = yield* Effect.all([
        Effect.tracer,
        Effect.serviceOption(Resource.Resource),
        Effect.withSpan(Effect.currentSpan, "test.span")
      ]).pipe(Effect.provide(telemetry({ otlpEndpoint: Option.none() })))
      expect(tracer).toBe(defaultTracer)
      expect(Option.isNone(resource)).toBe(true)
      // Effect's own in-memory span: nothing exports it.
      expect(span.name).toBe("test.span")
      expect(Object.getPrototypeOf(span)).toBe(Object.getPrototypeOf(yield* Effect.withSpan(Effect.currentSpan, "other")))
    }))

  it("OTLP URLs keep the endpoint's path", () => {
    expect(otlpUrl("http://collector:4318", "metrics")).toBe("http://collector:4318/v1/metrics")
    expect(otlpUrl("http://collector:4318/otlp/", "traces")).toBe("http://collector:4318/otlp/v1/traces")
  })

  it.live("with an OTLP endpoint, a span reaches <endpoint>/v1/traces when the layer closes", () =>
    Effect.scoped(Effect.gen(function*() {
      const otlp = yield* collector
      const defaultTracer = yield* Effect.tracer
      // A path prefix on the endpoint is kept: traces go to <endpoint>/v1/traces.
      const endpoint = `${otlp.url}/otlp`

      const [tracer, resource] = yield* Effect.all([Effect.tracer, Effect.serviceOption(Resource.Resource)]).pipe(
        Effect.tap(Effect.void.pipe(Effect.withSpan("test.span", { attributes: { "test.marker": "compilar-span-marker" } }))),
        Effect.provide(telemetry({ otlpEndpoint: Option.some(endpoint), serviceName: "compilar-telemetry-test" }))
      )
      expect(tracer).not.toBe(defaultTracer)
      expect(Option.isSome(resource)).toBe(true)

      // The layer is closed once Effect.provide returns: its shutdown flushed the batch.
      const traces = otlp.received.filter((request) => request.path === "/otlp/v1/traces")
      expect(traces.length).toBeGreaterThanOrEqual(1)
      expect(traces.every((request) => request.method === "POST")).toBe(true)
      const bytes = Buffer.concat(traces.map((request) => request.body)).toString("latin1")
      expect(bytes).toContain("test.span")
      expect(bytes).toContain("compilar-span-marker")
      expect(bytes).toContain("compilar-telemetry-test")
      expect(otlp.received.filter((request) => !request.path.startsWith("/otlp/v1/"))).toEqual([])
    })))

  it.live("with an OTLP endpoint, the GenAI metrics reach <endpoint>/v1/metrics (at the latest when the layer closes)", () =>
    Effect.scoped(Effect.gen(function*() {
      const otlp = yield* collector
      yield* recordCall({
        operation: "stream",
        provider: "openai",
        model: "telemetry-test-model",
        durationSeconds: 1.5,
        usage: { inputTokens: 12, outputTokens: 34 },
        error: undefined,
        timeToFirstChunkSeconds: 0.25
      }).pipe(Effect.provide(telemetry({ otlpEndpoint: Option.some(otlp.url), serviceName: "compilar-metrics-test" })))

      const posts = otlp.received.filter((request) => request.path === "/v1/metrics")
      expect(posts.length).toBeGreaterThanOrEqual(1)
      expect(posts.every((request) => request.method === "POST")).toBe(true)
      expect(posts[0]?.headers["content-type"]).toContain("application/json")
      const names = new Map<string, MetricJson>()
      for (const post of posts) {
        const body = JSON.parse(post.body.toString("utf8")) as ExportRequest
        for (const resource of body.resourceMetrics) {
          expect(resource.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "compilar-metrics-test" } })
          for (const scope of resource.scopeMetrics) for (const metric of scope.metrics) names.set(metric.name, metric)
        }
      }
      const duration = names.get("gen_ai.client.operation.duration")
      expect(duration?.unit).toBe("s")
      const point = duration?.histogram?.dataPoints.find((p) =>
        p.attributes.some((a) => a.key === "gen_ai.request.model" && a.value.stringValue === "telemetry-test-model")
      )
      expect(point).toMatchObject({ count: 1, sum: 1.5 })
      expect(names.get("gen_ai.client.token.usage")?.unit).toBe("{token}")
      expect(names.has("gen_ai.client.operation.time_to_first_chunk")).toBe(true)
    })))
})
