import { defineConfig } from "vitest/config"

// One vitest run covers every package: each package declares its own project config.
// (`test.projects` replaces `vitest.workspace.ts`, which vitest 3.2 deprecates.)
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "loadtests/vitest.config.ts"]
  }
})
