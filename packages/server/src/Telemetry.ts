import { NodeSdk } from "@effect/opentelemetry"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Option } from "effect"
import { ServerConfig } from "./Config.js"
import { version } from "./Version.js"

/**
 * OpenTelemetry traces over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; nothing
 * at all otherwise (no SDK started, no spans recorded by the HTTP edge).
 */
export const TelemetryLive = Layer.unwrapEffect(
  Effect.map(ServerConfig, (config) =>
    Option.match(config.otlpEndpoint, {
      onNone: () => Layer.empty,
      onSome: (endpoint) =>
        NodeSdk.layer(() => ({
          resource: { serviceName: config.serviceName, serviceVersion: version },
          spanProcessor: new BatchSpanProcessor(
            new OTLPTraceExporter({ url: new URL("v1/traces", endpoint.endsWith("/") ? endpoint : `${endpoint}/`).href })
          )
        }))
    }))
)
