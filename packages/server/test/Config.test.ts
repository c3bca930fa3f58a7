import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option } from "effect"
import { describeConfigError, serverConfig } from "../src/Config.js"

/** Reads the server configuration from exactly these variables (nothing from the real environment). */
const load = (variables: Record<string, string>) =>
  Effect.withConfigProvider(serverConfig, ConfigProvider.fromMap(new Map(Object.entries(variables))))

/** The lines main prints for a configuration that does not load. */
const problems = (variables: Record<string, string>) =>
  Effect.map(Effect.flip(load(variables)), describeConfigError)

describe("serverConfig", () => {
  it.effect("defaults when nothing is set", () =>
    Effect.gen(function*() {
      const config = yield* load({})
      expect(config).toEqual({
        port: 3001,
        host: "0.0.0.0",
        corsOrigins: [],
        bodyLimitBytes: 1024 * 1024,
        shutdownGraceMs: 10_000,
        webDist: Option.none(),
        accessLog: true,
        otlpEndpoint: Option.none(),
        serviceName: "compilar-server"
      })
    }))

  it.effect("reads every variable that is set", () =>
    Effect.gen(function*() {
      const config = yield* load({
        PORT: "8080",
        HOST: "127.0.0.1",
        BODY_LIMIT_BYTES: "2048",
        SHUTDOWN_GRACE_MS: "0",
        WEB_DIST: "/srv/web",
        ACCESS_LOG: "false",
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_SERVICE_NAME: "compilar-staging"
      })
      expect(config.port).toBe(8080)
      expect(config.host).toBe("127.0.0.1")
      expect(config.bodyLimitBytes).toBe(2048)
      expect(config.shutdownGraceMs).toBe(0)
      expect(config.webDist).toEqual(Option.some("/srv/web"))
      expect(config.accessLog).toBe(false)
      expect(config.otlpEndpoint).toEqual(Option.some("http://collector:4318/"))
      expect(config.serviceName).toBe("compilar-staging")
    }))

  it.effect("CORS_ORIGINS: a comma-separated list, spaces and empty items ignored", () =>
    Effect.gen(function*() {
      const config = yield* load({ CORS_ORIGINS: " https://app.compilar.test ,http://localhost:5173,  ,https://a.b:8443" })
      expect(config.corsOrigins).toEqual(["https://app.compilar.test", "http://localhost:5173", "https://a.b:8443"])
    }))

  it.effect.each([
    ["PORT out of range", { PORT: "70000" }, /^PORT: Expected an integer between 0 and 65535/],
    ["PORT negative", { PORT: "-1" }, /^PORT: Expected an integer between 0 and 65535/],
    ["PORT not a number", { PORT: "abc" }, /^PORT: .*abc/],
    ["BODY_LIMIT_BYTES too small", { BODY_LIMIT_BYTES: "100" }, /^BODY_LIMIT_BYTES: Expected an integer between 1024 and/],
    ["SHUTDOWN_GRACE_MS not an integer", { SHUTDOWN_GRACE_MS: "1.5" }, /^SHUTDOWN_GRACE_MS: /],
    ["CORS_ORIGINS with a path", { CORS_ORIGINS: "https://app.example.com/app" }, /^CORS_ORIGINS: Expected a comma-separated list of origins/],
    ["CORS_ORIGINS without a scheme", { CORS_ORIGINS: "app.example.com" }, /^CORS_ORIGINS: Expected a comma-separated list of origins/],
    ["CORS_ORIGINS with one bad item among good ones", { CORS_ORIGINS: "https://ok.example, nope" }, /^CORS_ORIGINS: /],
    ["ACCESS_LOG not a boolean", { ACCESS_LOG: "sometimes" }, /^ACCESS_LOG: .*sometimes/],
    ["OTEL_EXPORTER_OTLP_ENDPOINT not a URL", { OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" }, /^OTEL_EXPORTER_OTLP_ENDPOINT: /],
    [
      "OTEL_EXPORTER_OTLP_ENDPOINT without a scheme",
      { OTEL_EXPORTER_OTLP_ENDPOINT: "otel-collector:4318" },
      /^OTEL_EXPORTER_OTLP_ENDPOINT: Expected an http\(s\) URL/
    ]
  ] as const)("rejects %s with one line naming the variable", ([, variables, line]) =>
    Effect.gen(function*() {
      const lines = yield* problems(variables)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(line)
    }))

  it.effect("several bad variables: one line each, all reported at once", () =>
    Effect.gen(function*() {
      const lines = yield* problems({
        PORT: "abc",
        BODY_LIMIT_BYTES: "10",
        CORS_ORIGINS: "nope",
        ACCESS_LOG: "maybe",
        HOST: "localhost"
      })
      expect(lines).toHaveLength(4)
      expect(lines.map((line) => line.split(":")[0]).sort()).toEqual(
        ["ACCESS_LOG", "BODY_LIMIT_BYTES", "CORS_ORIGINS", "PORT"]
      )
      for (const line of lines) expect(line).not.toContain("\n")
    }))
})
