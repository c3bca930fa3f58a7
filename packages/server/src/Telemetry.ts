import { NodeSdk, OtlpMetrics, OtlpSerialization } from "@effect/opentelemetry"
import { FetchHttpClient } from "@effect/platform"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Config, Duration, Effect, Layer, Option } from "effect"
import { ServerConfig } from "./Config.js"
import { version } from "./Version.js"

/** `<endpoint>/v1/<signal>`, keeping a path prefix on the endpoint (the OTLP/HTTP convention). */
export const otlpUrl = (endpoint: string, signal: "traces" | "metrics"): string =>
  new URL(`v1/${signal}`, endpoint.endsWith("/") ? endpoint : `${endpoint}/`).href

/**
 * OpenTelemetry over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; nothing at all
 * otherwise (no SDK started, no spans recorded by the HTTP edge, no exporter).
 *
 * - Traces: the OpenTelemetry SDK, batched, to `<endpoint>/v1/traces`.
 * - Metrics: every Effect `Metric` of the process (the LLM gateway's GenAI metrics among them:
 *   `gen_ai.client.operation.duration`, `gen_ai.client.token.usage`, time to first chunk,
 *   breaker state, fallbacks, retries) as cumulative OTLP metrics to `<endpoint>/v1/metrics`,
 *   every `OTEL_METRIC_EXPORT_INTERVAL` ms (60000, the OpenTelemetry default) and once more when
 *   the server stops. Effect's own OTLP exporter: no second SDK to keep in step with Effect's
 *   metric registry.
 */
export const TelemetryLive = Layer.unwrapEffect(
  Effect.gen(function*() {
    const config = yield* ServerConfig
    const exportIntervalMs = yield* Config.integer("OTEL_METRIC_EXPORT_INTERVAL").pipe(
      Config.validate({ message: "Expected a positive number of milliseconds", validation: (ms) => ms > 0 }),
      Config.withDefault(60_000)
    )
    return Option.match(config.otlpEndpoint, {
      onNone: () => Layer.empty,
      onSome: (endpoint) => {
        const resource = { serviceName: config.serviceName, serviceVersion: version }
        const traces = NodeSdk.layer(() => ({
          resource,
          spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpUrl(endpoint, "traces") }))
        }))
        const metrics = OtlpMetrics.layer({
          url: otlpUrl(endpoint, "metrics"),
          resource,
          exportInterval: Duration.millis(exportIntervalMs)
        }).pipe(Layer.provide([FetchHttpClient.layer, OtlpSerialization.layerJson]))
        return Layer.merge(traces, metrics)
      }
    })
  })
)
