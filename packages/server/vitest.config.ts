import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "server",
    include: ["test/**/*.test.ts"],
    // PGlite needs a few seconds to boot an in-memory database on this machine.
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
