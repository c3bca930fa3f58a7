import { defineConfig } from "vitest/config"

// One vitest run covers every package: each package declares its own project config.
// (`test.projects` replaces `vitest.workspace.ts`, which vitest 3.2 deprecates.)
export default defineConfig({
  test: {
    // Two test files at a time. Vitest's default on a 2-core machine is one (cores - 1), but most
    // files spend their time waiting on servers, databases and Chromium, not on the CPU: one at
    // a time, the suite took 9–15 minutes here, against CI's 15-minute limit.
    maxWorkers: 2,
    projects: ["packages/*/vitest.config.ts", "loadtests/vitest.config.ts"]
  }
})
