import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "loadtests",
    include: ["test/**/*.test.ts"],
    // The live tests start the server (PGlite boots in seconds here) and run tiny scenarios.
    testTimeout: 120_000,
    hookTimeout: 180_000
  }
})
