/**
 * The real server (`src/main.ts` under tsx) as a child process for the search benchmark, with
 * the CPU time its process tree has used: the figure that stays meaningful on a busy machine,
 * where wall-clock latencies move with whatever else runs.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { freePort } from "./ports.js"
import { treeCpuMs } from "./processStats.js"

const serverRoot = fileURLToPath(new URL("..", import.meta.url))

export interface RunningServer {
  readonly url: string
  readonly child: ChildProcess
  /** CPU milliseconds (user + system) used so far by the server's processes. */
  readonly cpuMs: () => number
  readonly stop: () => Promise<void>
}

export const startServer = async (env: Record<string, string>): Promise<RunningServer> => {
  const port = await freePort()
  const child = spawn(join(serverRoot, "node_modules/.bin/tsx"), ["src/main.ts"], {
    cwd: serverRoot,
    env: {
      ...process.env,
      LOG_LEVEL: "Error",
      // Every search comes from one address: measure search, not the general limit refusing it.
      RATE_LIMIT_GENERAL_PER_MINUTE: "1000000000",
      // The rate-limit store in memory, whatever REDIS_URL says: the search's cost, not Redis's.
      REDIS_URL: "",
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1"
    },
    stdio: ["ignore", "ignore", "inherit"]
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`)
    if (Date.now() > deadline) throw new Error(`${url} did not come up`)
    try {
      if ((await fetch(`${url}/health`)).ok) break
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    child,
    cpuMs: () => (child.pid === undefined ? 0 : treeCpuMs(child.pid)),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      })
  }
}
