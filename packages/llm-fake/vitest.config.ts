import { defineProject } from "vitest/config"

export default defineProject({ test: { name: "llm-fake", include: ["test/**/*.test.ts"] } })
