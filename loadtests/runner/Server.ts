import { type ChildProcess, spawn } from "node:child_process"
import { closeSync, openSync, readFileSync } from "node:fs"
import { mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { setTimeout as delay } from "node:timers/promises"
import { fileURLToPath } from "node:url"

/**
 * The server for a run without BASE_URL: `packages/server/src/main.ts` on its embedded defaults
 * (PGlite in a temporary DATA_DIR, offline LLM provider, memory rate limits) on a random port,
 * with rate limits raised out of the way (a load test from one address is the abuse they exist to
 * stop). Only PATH and HOME pass from the environment, so a DATABASE_URL or provider key in the
 * shell does not change what is measured; `env` adds variables (a test points it at PostgreSQL).
 * Its output goes to a log file next to the data, read back when it fails to start.
 */

export const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url))

/** Each rate-limit tier, per minute: far above what these scenarios send. */
const unlimited = "1000000"

export interface StartedServer {
  readonly url: string
  readonly dataDir: string
  /** SIGTERM (the server drains and exits), SIGKILL after `graceMs`; then its folder is removed. */
  readonly stop: (graceMs?: number) => Promise<void>
}

/** Every process below `pid` (tsx runs the server as its child), deepest last; Linux /proc. */
const descendants = (pid: number): ReadonlyArray<number> => {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
    return children.flatMap((child) => [child, ...descendants(child)])
  } catch {
    return []
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null

const killTree = (child: ChildProcess) => {
  const below = child.pid === undefined ? [] : descendants(child.pid)
  for (const pid of [...below].reverse()) {
    try {
      process.kill(pid, "SIGKILL")
    } catch {
      // already gone
    }
  }
  if (!exited(child)) child.kill("SIGKILL")
}

const listeningUrl = (log: string): string | undefined =>
  /"message":"Listening on (http:\/\/[^"]+)"/.exec(log)?.[1]

/** PGlite's first start (migrations, seeding, embedding the corpus) takes 10–15 s on a busy 2-core machine. */
const startTimeoutMs = 180_000

export const startServer = async (options: { readonly env?: Readonly<Record<string, string>> } = {}): Promise<StartedServer> => {
  const folder = await mkdtemp(join(tmpdir(), "compilar-loadtest-"))
  const dataDir = join(folder, "data")
  const logPath = join(folder, "server.log")
  const log = openSync(logPath, "a")
  const child = spawn(join(repositoryRoot, "packages/server/node_modules/.bin/tsx"), ["packages/server/src/main.ts"], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LLM_PROVIDERS: "offline",
      EMBEDDINGS: "offline",
      RATE_LIMIT_SIGNIN_PER_MINUTE: unlimited,
      RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: unlimited,
      RATE_LIMIT_AI_PER_MINUTE: unlimited,
      RATE_LIMIT_GENERAL_PER_MINUTE: unlimited,
      ...options.env
    },
    stdio: ["ignore", log, log]
  })
  closeSync(log)
  // A child that could not be spawned (no tsx) emits `error` and never `close`.
  const spawned: { error: Error | null } = { error: null }
  const closed = new Promise<void>((resolve) => {
    child.once("close", () => resolve())
    child.once("error", (error) => {
      spawned.error = error
      resolve()
    })
  })

  const stop = async (graceMs = 15_000) => {
    if (!exited(child) && spawned.error === null) {
      // tsx relays SIGTERM to the server it runs; SIGKILL it cannot relay, hence the tree.
      child.kill("SIGTERM")
      const timer = setTimeout(() => killTree(child), graceMs)
      await closed
      clearTimeout(timer)
    }
    await rm(folder, { recursive: true, force: true })
  }

  const deadline = performance.now() + startTimeoutMs
  for (;;) {
    const output = await readFile(logPath, "utf8")
    const url = listeningUrl(output)
    if (url !== undefined) return { url, dataDir, stop }
    if (exited(child) || spawned.error !== null || performance.now() > deadline) {
      const why = spawned.error !== null
        ? `the server could not be started (${spawned.error.message})`
        : exited(child)
        ? `the server exited (${child.exitCode ?? child.signalCode})`
        : "the server did not start in time"
      await stop(0)
      throw new Error(`${why}:\n${output.split("\n").slice(-30).join("\n")}`)
    }
    await delay(200)
  }
}
