/**
 * `pnpm llm-fake`: runs the fake on its own. Environment: LLM_FAKE_PORT (default 4010),
 * LLM_FAKE_HOST (a loopback address, default 127.0.0.1), LLM_FAKE_LATENCY_MS,
 * LLM_FAKE_TOKENS_PER_SECOND, LLM_FAKE_REPLY, LLM_FAKE_API_KEYS (comma-separated).
 */
import { start } from "./server.js"

const numberFrom = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === "") return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) {
    console.error(`llm-fake: ${name} must be a non-negative number, got ${JSON.stringify(raw)}`)
    process.exit(1)
  }
  return value
}

const keys = process.env["LLM_FAKE_API_KEYS"]
const reply = process.env["LLM_FAKE_REPLY"]
const fake = await start({
  port: numberFrom("LLM_FAKE_PORT", 4010),
  host: process.env["LLM_FAKE_HOST"] ?? "127.0.0.1",
  latencyMs: numberFrom("LLM_FAKE_LATENCY_MS", 0),
  tokensPerSecond: numberFrom("LLM_FAKE_TOKENS_PER_SECOND", 0),
  ...(reply === undefined ? {} : { reply }),
  ...(keys === undefined || keys === "" ? {} : { apiKeys: keys.split(",").map((k) => k.trim()) })
})

console.log(`llm-fake listening on ${fake.url}
  OPENAI_BASE_URL=${fake.openaiBaseUrl}
  ANTHROPIC_BASE_URL=${fake.anthropicBaseUrl}
  admin: ${fake.url}/__admin/{journal,faults,config,reset}`)

const stop = () => {
  void fake.close().then(() => process.exit(0))
}
process.on("SIGINT", stop)
process.on("SIGTERM", stop)
