import { Cause, Config, ConfigError, Context, Layer, Option } from "effect"

/**
 * The configuration of the HTTP edge: everything the server needs before any feature
 * layer runs. Read in one go so that every bad variable is reported at once.
 * Feature layers (database, auth, LLM…) read their own variables where they are used.
 */
export interface ServerConfigShape {
  readonly port: number
  readonly host: string
  readonly corsOrigins: ReadonlyArray<string>
  readonly bodyLimitBytes: number
  readonly shutdownGraceMs: number
  readonly webDist: Option.Option<string>
  readonly accessLog: boolean
  readonly otlpEndpoint: Option.Option<string>
  readonly serviceName: string
}

// Validation is applied before `Config.nested` so that its error carries the variable's name.
const origins = (name: string) =>
  Config.array(Config.string()).pipe(
    Config.map((items) => items.map((s) => s.trim()).filter((s) => s.length > 0)),
    Config.validate({
      message: "Expected a comma-separated list of origins like https://app.example.com (scheme://host[:port])",
      validation: (items) => items.every((o) => /^https?:\/\/[^/\s]+$/.test(o))
    }),
    Config.nested(name)
  )

const intIn = (name: string, min: number, max: number, fallback: number) =>
  Config.integer().pipe(
    Config.validate({ message: `Expected an integer between ${min} and ${max}`, validation: (n) => n >= min && n <= max }),
    Config.nested(name),
    Config.withDefault(fallback)
  )

export const serverConfig: Config.Config<ServerConfigShape> = Config.all({
  port: intIn("PORT", 0, 65535, 3001),
  host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
  corsOrigins: origins("CORS_ORIGINS").pipe(Config.withDefault([] as ReadonlyArray<string>)),
  bodyLimitBytes: intIn("BODY_LIMIT_BYTES", 1024, 64 * 1024 * 1024, 1024 * 1024),
  shutdownGraceMs: intIn("SHUTDOWN_GRACE_MS", 0, 600_000, 10_000),
  webDist: Config.option(Config.string("WEB_DIST")),
  accessLog: Config.boolean("ACCESS_LOG").pipe(Config.withDefault(true)),
  otlpEndpoint: Config.option(
    Config.url().pipe(
      // `collector:4318` parses as a URL with scheme "collector:"; only http(s) reaches an OTLP/HTTP collector.
      Config.validate({
        message: "Expected an http(s) URL like http://collector:4318",
        validation: (u) => u.protocol === "http:" || u.protocol === "https:"
      }),
      Config.nested("OTEL_EXPORTER_OTLP_ENDPOINT"),
      Config.map((u) => u.toString())
    )
  ),
  serviceName: Config.string("OTEL_SERVICE_NAME").pipe(Config.withDefault("compilar-server"))
})

export class ServerConfig extends Context.Tag("Server/Config")<ServerConfig, ServerConfigShape>() {
  static readonly Live = Layer.effect(ServerConfig, serverConfig)
  static readonly layer = (config: ServerConfigShape) => Layer.succeed(ServerConfig, config)
}

/** Every bad variable, one line each: `PORT: Expected an integer between 0 and 65535, got "abc"`. */
export const describeConfigError = (error: ConfigError.ConfigError): ReadonlyArray<string> =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    orCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    invalidDataCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    missingDataCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    sourceUnavailableCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    unsupportedCase: (_, path, message) => [`${path.join(".")}: ${message}`]
  }).filter((line, i, all) => all.indexOf(line) === i)

/** Finds a ConfigError anywhere in a start-up failure, so main can print it plainly. */
export const findConfigError = <E>(cause: Cause.Cause<E>): Option.Option<ConfigError.ConfigError> =>
  Cause.find(cause, (reason) =>
    reason._tag === "Fail" && ConfigError.isConfigError(reason.error) ? Option.some(reason.error) : Option.none()
  )

