import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * Starts the real Compilar server (packages/server/src/main.ts through tsx) on a free port with a
 * throw-away DATA_DIR, waits until GET /health answers 200, and stops it again. Browser tests share
 * it: `const app = await startApp(); …; await app.stop()`.
 */

/** The monorepo root (this file is packages/web/test/browser/support/app.ts). */
export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../../..")

export const webDist = join(repoRoot, "packages/web/dist")

export const resultsDir = join(repoRoot, "packages/web/test-results")

/** A port nobody listens on right now: bind port 0, read what the OS gave, close. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolvePort(port) : reject(new Error("no free port"))))
    })
  })

export interface AppServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string
  readonly port: number
  readonly dataDir: string
  /** Everything the server printed so far (stdout and stderr), for failure messages. */
  readonly output: () => string
  /** Stops the server (SIGTERM, then SIGKILL after `graceMs`) and removes its DATA_DIR. */
  readonly stop: (graceMs?: number) => Promise<void>
}

export interface StartOptions {
  /** Extra environment for the server (PORT and DATA_DIR are set for you). */
  readonly env?: Readonly<Record<string, string>>
  /** How long to wait for GET /health to answer 200. Default 60 s. */
  readonly timeoutMs?: number
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => child.once("exit", () => r()))

/** Signals the child's whole process group (tsx runs the server in a grandchild). */
const signal = (child: ChildProcess, sig: NodeJS.Signals) => {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, sig)
  } catch {
    try {
      child.kill(sig)
    } catch {
      // already gone
    }
  }
}

/** Stops a child started `detached` (its own process group): SIGTERM, then SIGKILL after `graceMs`. */
export const stopProcess = async (child: ChildProcess, graceMs: number): Promise<void> => {
  signal(child, "SIGTERM")
  const done = await Promise.race([exited(child).then(() => true), sleep(graceMs).then(() => false)])
  if (!done) {
    signal(child, "SIGKILL")
    await exited(child)
  }
}

export const startApp = async (options: StartOptions = {}): Promise<AppServer> => {
  const entry = join(repoRoot, "packages/server/src/main.ts")
  // The server package owns tsx (pnpm links it there, not at the root).
  const tsx = join(repoRoot, "packages/server/node_modules/.bin/tsx")
  if (!existsSync(entry)) throw new Error(`The server entry point is missing: ${entry}`)
  if (!existsSync(join(webDist, "index.html"))) {
    throw new Error("The web app is not built: run `npx --yes pnpm@10.34.8 --filter @compilar/web build` first.")
  }

  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), "compilar-web-test-"))
  const url = `http://127.0.0.1:${port}`
  let log = ""

  const child = spawn(tsx, [entry], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "test", ...options.env, PORT: String(port), DATA_DIR: dataDir }
  })
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()))
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()))

  let stopped = false
  const stop = async (graceMs = 10_000) => {
    if (!stopped) {
      stopped = true
      await stopProcess(child, graceMs)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + (options.timeoutMs ?? 180_000)
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop()
      throw new Error(`The server exited before it was healthy (code ${child.exitCode}):\n${log}`)
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })
      if (response.status === 200) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`GET ${url}/health did not answer 200 within ${options.timeoutMs ?? 180_000} ms:\n${log}`)
    }
    await sleep(250)
  }

  return { url, port, dataDir, output: () => log, stop }
}
