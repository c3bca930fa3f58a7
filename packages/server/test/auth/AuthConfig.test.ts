import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import { mkdtempSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AuthConfig } from "../../src/Auth.js"
import { describeConfigError, findConfigError } from "../../src/Config.js"

const load = (env: Record<string, string>) =>
  Effect.provide(AuthConfig, AuthConfig.Live.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))))

describe("AuthConfig", () => {
  it.effect("without AUTH_JWT_SECRET, generates a key once in DATA_DIR/auth-jwt.key (0600) and keeps it", () =>
    Effect.gen(function*() {
      const dataDir = join(mkdtempSync(join(tmpdir(), "compilar-auth-")), "nested")
      const first = yield* load({ DATA_DIR: dataDir })
      const second = yield* load({ DATA_DIR: dataDir })
      expect(Buffer.from(Redacted.value(first.jwtKey)).length).toBeGreaterThanOrEqual(64)
      expect(Buffer.from(Redacted.value(second.jwtKey))).toEqual(Buffer.from(Redacted.value(first.jwtKey)))
      expect(statSync(join(dataDir, "auth-jwt.key")).mode & 0o777).toBe(0o600)
      expect(first.accessTtlSeconds).toBe(900)
      expect(first.scrypt).toEqual({ logN: 17, r: 8, p: 1 })
    }))

  it.effect("AUTH_JWT_SECRET is used as the key; OPERATOR_EMAILS is a lower-cased list", () =>
    Effect.gen(function*() {
      const config = yield* load({
        AUTH_JWT_SECRET: "s".repeat(40),
        OPERATOR_EMAILS: " Ops@Example.com, ,boss@example.com",
        DATA_DIR: "/nonexistent/never-written"
      })
      expect(Buffer.from(Redacted.value(config.jwtKey)).toString()).toBe("s".repeat(40))
      expect(config.operatorEmails).toEqual(["ops@example.com", "boss@example.com"])
    }))

  it.effect("AUTH_TOKEN_CACHE_SIZE: 10000 by default; a bad value stops start-up naming it; Supabase mode from SUPABASE_URL", () =>
    Effect.gen(function*() {
      const base = { AUTH_JWT_SECRET: "s".repeat(40) }
      const defaults = yield* load(base)
      expect(defaults.tokenCache).toEqual({ capacity: 10_000, negativeTtlSeconds: 5, profileTtlSeconds: 60 })
      expect(defaults.supabase._tag).toBe("None")
      const configured = yield* load({ ...base, AUTH_TOKEN_CACHE_SIZE: "500", SUPABASE_URL: "https://abc.supabase.co" })
      expect(configured.tokenCache.capacity).toBe(500)
      expect(configured.supabase._tag).toBe("Some")
      for (const bad of ["0", "many", "-5"]) {
        const exit = yield* Effect.exit(load({ ...base, AUTH_TOKEN_CACHE_SIZE: bad }))
        const error = Exit.isFailure(exit) ? findConfigError(exit.cause) : undefined
        expect(error?._tag).toBe("Some")
        if (error?._tag === "Some") expect(describeConfigError(error.value).join("\n")).toMatch(/^AUTH_TOKEN_CACHE_SIZE: /)
      }
    }))

  it.effect("a short AUTH_JWT_SECRET stops start-up with a line naming it", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(load({ AUTH_JWT_SECRET: "too-short" }))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const error = findConfigError(exit.cause)
        expect(error._tag).toBe("Some")
        if (error._tag === "Some") {
          expect(describeConfigError(error.value)).toEqual(["AUTH_JWT_SECRET: Expected at least 32 characters"])
        }
      }
    }))
})
