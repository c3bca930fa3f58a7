import { spawn } from "node:child_process"
import { join } from "node:path"
import { freePort, repoRoot, sleep, stopProcess } from "./app.js"

/**
 * The `llm-fake` server (packages/llm-fake, its own `main.ts`) in a child process, for browser
 * tests that need the app's real OpenAI path to misbehave on cue. Start the app with `fake.env`
 * (OpenAI pointed at the fake, no other provider), then script faults and read the request
 * journal through the fake's admin API (`/__admin/{faults,config,journal,reset}`).
 */

/** A scripted fault rule, as the admin API takes it (see packages/llm-fake/src/faults.ts). */
export interface FaultRule {
  readonly match?: { readonly provider?: "openai" | "anthropic"; readonly endpoint?: string; readonly stream?: boolean }
  readonly faults: ReadonlyArray<Record<string, unknown>>
  readonly times?: number
}

/** What the journal says about one request (the fields the tests read). */
export interface JournalEntry {
  readonly endpoint: string | undefined
  readonly stream: boolean
  readonly outcome: string
  readonly chunksSent: number
}

export interface LlmFakeServer {
  readonly url: string
  /** The app's environment for it: OpenAI at the fake, the only provider; local embeddings. */
  readonly env: Readonly<Record<string, string>>
  readonly addFault: (rule: FaultRule) => Promise<void>
  readonly configure: (settings: { readonly reply?: string; readonly tokensPerSecond?: number; readonly latencyMs?: number }) => Promise<void>
  /** The chat requests it received, oldest first. */
  readonly chats: () => Promise<ReadonlyArray<JournalEntry>>
  readonly reset: () => Promise<void>
  readonly stop: () => Promise<void>
}

export const startLlmFake = async (timeoutMs = 60_000): Promise<LlmFakeServer> => {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const fakeDir = join(repoRoot, "packages/llm-fake")
  let log = ""
  const child = spawn(join(fakeDir, "node_modules/.bin/tsx"), [join(fakeDir, "src/main.ts")], {
    cwd: fakeDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, LLM_FAKE_PORT: String(port), LLM_FAKE_HOST: "127.0.0.1" }
  })
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()))

  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/__admin${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`llm-fake ${method} ${path}: ${response.status} ${text}`)
    return text === "" ? undefined : (JSON.parse(text) as unknown)
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`llm-fake exited (code ${child.exitCode}):\n${log}`)
    try {
      await admin("GET", "/config")
      break
    } catch {
      if (Date.now() > deadline) {
        await stopProcess(child, 2_000)
        throw new Error(`llm-fake did not answer within ${timeoutMs} ms:\n${log}`)
      }
      await sleep(200)
    }
  }

  return {
    url,
    env: { OPENAI_API_KEY: "sk-browser-test", OPENAI_BASE_URL: `${url}/v1`, LLM_PROVIDERS: "openai", EMBEDDINGS: "offline" },
    addFault: async (rule) => void (await admin("POST", "/faults", rule)),
    configure: async (settings) => void (await admin("PATCH", "/config", settings)),
    chats: async () => ((await admin("GET", "/journal?endpoint=chat")) as { entries: ReadonlyArray<JournalEntry> }).entries,
    reset: async () => void (await admin("POST", "/reset")),
    stop: () => stopProcess(child, 5_000)
  }
}
