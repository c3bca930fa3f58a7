import { Data, Deferred, Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/**
 * The real server as its own process (`tsx packages/server/src/main.ts`, from the repository
 * root), with exactly the environment given on top of PATH/HOME: what an operator runs.
 * Its output is collected; it is killed (SIGKILL, tsx and the server under it) with its scope
 * if still running.
 */
export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url))

export class SpawnFailed extends Data.TaggedError("SpawnFailed")<{ readonly message: string }> {}

export interface SpawnedApp {
  readonly process: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** The exit code (a signal counts as failure: -1). */
  readonly exited: Effect.Effect<number>
  /**
   * Sends `signal` to the server itself as well as to tsx. tsx runs the server in a child
   * process: SIGKILL to tsx alone (which cannot relay it) leaves the server running, orphaned.
   */
  readonly kill: (signal: NodeJS.Signals) => void
}

/** Every process below `pid`, deepest last (Linux /proc; none elsewhere). */
const descendants = (pid: number): ReadonlyArray<number> => {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
    return children.flatMap((child) => [child, ...descendants(child)])
  } catch {
    return []
  }
}

const killTree = (child: ChildProcess, signal: NodeJS.Signals) => {
  const below = child.pid === undefined ? [] : descendants(child.pid)
  for (const pid of [...below].reverse()) {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
  child.kill(signal)
}

export const spawnApp = (env: Record<string, string>) =>
  Effect.gen(function*() {
    const exit = yield* Deferred.make<number>()
    const child = yield* Effect.acquireRelease(
      Effect.try({
        try: () =>
          spawn(
            // The server package owns tsx (pnpm links it there, not at the root).
            fileURLToPath(new URL("packages/server/node_modules/.bin/tsx", `file://${repositoryRoot}`)),
            ["packages/server/src/main.ts"],
            {
              cwd: repositoryRoot,
              env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
              stdio: ["ignore", "pipe", "pipe"]
            }
          ),
        catch: (cause) => new SpawnFailed({ message: String(cause) })
      }),
      (child) => Effect.sync(() => child.exitCode === null && child.signalCode === null && killTree(child, "SIGKILL"))
    )
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("error", () => Deferred.unsafeDone(exit, Effect.succeed(-1)))
    child.on("close", (code) => Deferred.unsafeDone(exit, Effect.succeed(code ?? -1)))
    const app: SpawnedApp = {
      process: child,
      stdout: () => stdout,
      stderr: () => stderr,
      exited: Deferred.await(exit),
      kill: (signal) => killTree(child, signal)
    }
    return app
  })

/** The JSON log lines the app wrote on stdout (other lines ignored). */
export const jsonLogLines = (output: string): ReadonlyArray<Record<string, unknown>> =>
  output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return []
    try {
      const parsed: unknown = JSON.parse(line)
      return typeof parsed === "object" && parsed !== null ? [parsed as Record<string, unknown>] : []
    } catch {
      return []
    }
  })
