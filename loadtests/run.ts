import { existsSync } from "node:fs"
import { writeFile } from "node:fs/promises"
import { isAbsolute, join, resolve } from "node:path"
import { parseArgs } from "node:util"
import { ConfigError, ScriptError, thresholdsFailedExitCode, TimeoutError } from "./runner/Errors.js"
import { runScript } from "./runner/Script.js"
import { repositoryRoot, type StartedServer, startServer } from "./runner/Server.js"
import { formatSummary, type Summary } from "./runner/Summary.js"

/**
 * `pnpm loadtest <scenario>… [-e KEY=VALUE]… [--server-env KEY=VALUE]… [--summary-json FILE]`:
 * runs k6 scripts of this folder (`journey`, `answers`) or any path, one after the other, without
 * k6. Without BASE_URL (in the environment or `-e`) it starts the server on its embedded defaults
 * once for all of them (`--server-env` adds variables, e.g. DATABASE_URL for PostgreSQL) and stops
 * it afterwards. Exit codes are k6's, the first non-zero one of the scripts: 99 when a
 * threshold failed, 104 invalid options, 107 a script error, 100/101 setup or teardown timeouts;
 * 1 when the server would not start, 2 for a bad command line.
 */

const usage =
  "usage: pnpm loadtest <journey|answers|path/to/script.js>... [-e KEY=VALUE]... [--server-env KEY=VALUE]... [--summary-json FILE]"

const fail = (message: string, code: number): never => {
  process.stderr.write(`${message}\n`)
  process.exit(code)
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        env: { type: "string", short: "e", multiple: true, default: [] },
        "server-env": { type: "string", multiple: true, default: [] },
        "summary-json": { type: "string" },
        help: { type: "boolean", short: "h" }
      }
    })
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2)
  }
})()
if (values.help === true) fail(usage, 0)
if (positionals.length === 0) fail(usage, 2)

// pnpm runs scripts from the repository root; a relative path means the caller's directory.
const callerDir = process.env["INIT_CWD"] ?? process.cwd()
const scriptPaths = positionals.map((name) => {
  const own = join(repositoryRoot, "loadtests", `${name}.js`)
  const path = /^[a-z][a-z0-9-]*$/.test(name) && existsSync(own) ? own : isAbsolute(name) ? name : resolve(callerDir, name)
  return existsSync(path) ? path : fail(`no such scenario or script: ${name}\n${usage}`, 2)
})

const assignments = (pairs: ReadonlyArray<string>, option: string): Record<string, string> =>
  Object.fromEntries(pairs.map((pair) => {
    const eq = pair.indexOf("=")
    return eq < 1 ? fail(`${option} expects KEY=VALUE, got ${JSON.stringify(pair)}`, 2) : [pair.slice(0, eq), pair.slice(eq + 1)]
  }))

const env: Record<string, string> = {}
for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
Object.assign(env, assignments(values.env, "-e"))
const serverEnv = assignments(values["server-env"], "--server-env")
const given = env["BASE_URL"]?.trim() ?? ""
if (given !== "" && Object.keys(serverEnv).length > 0) fail("--server-env configures the server the runner starts: drop BASE_URL", 2)

const log = (line: string) => process.stderr.write(`${line}\n`)

/** The server this run starts, from the moment it is being started (a signal may come meanwhile). */
let server: Promise<StartedServer> | null = null
const stopServer = () => server?.then((started) => started.stop(), () => {}) ?? Promise.resolve()
let stopping = false
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  // `on`, not `once`: a terminal's Ctrl-C reaches this process twice (directly and relayed by
  // tsx), and a second SIGINT without a handler would kill it before the server is stopped.
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    void stopServer().finally(() => process.exit(signal === "SIGINT" ? 130 : 143))
  })
}

/** One script: its summary (when it got that far) and its exit code. */
const runOne = async (scriptPath: string, baseUrl: string): Promise<{ summary: Summary | null; exitCode: number }> => {
  try {
    const { summary, teardownFailure } = await runScript({ scriptPath, env, baseUrl, log })
    process.stdout.write(`${formatSummary(summary)}\n\n`)
    if (teardownFailure !== null) log(`${teardownFailure.name}: ${teardownFailure.message}`)
    return { summary, exitCode: teardownFailure?.exitCode ?? (summary.thresholdsOk ? 0 : thresholdsFailedExitCode) }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ScriptError || error instanceof TimeoutError) {
      log(`${scriptPath}: ${error.name}: ${error.message}`)
      return { summary: null, exitCode: error.exitCode }
    }
    throw error
  }
}

let exitCode = 1
try {
  if (given === "") {
    log(`BASE_URL not set: starting the server (${"DATABASE_URL" in serverEnv ? "PostgreSQL" : "PGlite"}, offline LLM)…`)
    server = startServer({ env: serverEnv })
    const started = await server
    env["BASE_URL"] = started.url
    log(`server listening on ${started.url}`)
  }
  const runs: Array<{ script: string; summary: Summary | null; exitCode: number }> = []
  for (const scriptPath of scriptPaths) runs.push({ script: scriptPath, ...(await runOne(scriptPath, env["BASE_URL"]!)) })
  exitCode = runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0
  if (values["summary-json"] !== undefined) {
    const started = server === null ? null : await server
    const serverJson = started === null ? { started: false } : { started: true, url: started.url, dataDir: started.dataDir }
    await writeFile(values["summary-json"], `${JSON.stringify({ server: serverJson, exitCode, runs }, null, 2)}\n`)
  }
} catch (error) {
  // Once a signal is stopping the run, the server's exit is expected, not worth a stack trace.
  if (!stopping) log(error instanceof Error ? error.stack ?? error.message : String(error))
} finally {
  await stopServer()
}
process.exit(exitCode)
