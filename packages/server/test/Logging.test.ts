import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, LogLevel } from "effect"
import { logLevel } from "../src/Logging.js"

const read = (value: string | undefined) =>
  Effect.either(Effect.withConfigProvider(logLevel, ConfigProvider.fromMap(new Map(value === undefined ? [] : [["LOG_LEVEL", value]]))))

describe("LOG_LEVEL", () => {
  it.effect("takes the README's names and Effect's labels, in any case; Info when unset", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string | undefined, LogLevel.LogLevel]> = [
        [undefined, LogLevel.Info],
        ["Warning", LogLevel.Warning],
        ["WARN", LogLevel.Warning],
        ["none", LogLevel.None],
        ["OFF", LogLevel.None],
        [" debug ", LogLevel.Debug],
        ["Fatal", LogLevel.Fatal]
      ]
      for (const [value, level] of cases) expect(yield* read(value)).toEqual(Either.right(level))
    }))

  it.effect("refuses anything else, naming the variable", () =>
    Effect.gen(function*() {
      const result = yield* read("loud")
      expect(Either.isLeft(result) && String(result.left)).toContain("LOG_LEVEL")
    }))
})
