import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Schedule, type Scope } from "effect"
import { randomBytes } from "node:crypto"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { jsonLogLines, type SpawnedApp, spawnApp } from "../support/SpawnedApp.js"

/**
 * The real server process killed (SIGKILL: no shutdown, no flush) in the middle of a load of
 * answer writes, then started again on the same data: every answer it acknowledged is there,
 * on embedded PGlite (its data folder) and on PostgreSQL.
 */

const serverUrl = process.env["DATABASE_URL"]?.trim() || undefined

interface Backend {
  readonly name: string
  /** The variables that point the server at it (none: PGlite under DATA_DIR). */
  readonly database: Effect.Effect<Record<string, string>, never, Scope.Scope>
}

const backends: ReadonlyArray<Backend> = [
  { name: "pglite", database: Effect.succeed({}) },
  ...(serverUrl === undefined ? [] : [{
    name: "postgres",
    database: Effect.acquireRelease(
      Effect.promise(async () => {
        const name = `compilar_test_${randomBytes(6).toString("hex")}`
        const admin = new pg.Client({ connectionString: serverUrl })
        await admin.connect()
        await admin.query(`create database ${name}`)
        await admin.end()
        const url = new URL(serverUrl)
        url.pathname = `/${name}`
        const client = new pg.Client({ connectionString: url.toString() })
        await client.connect()
        await client.query("create extension if not exists vector")
        await client.end()
        return { DATABASE_URL: url.toString(), name }
      }),
      ({ name }) =>
        Effect.promise(async () => {
          const admin = new pg.Client({ connectionString: serverUrl })
          await admin.connect()
          await admin.query(`drop database if exists ${name} with (force)`)
          await admin.end()
        })
    ).pipe(Effect.map(({ DATABASE_URL }) => ({ DATABASE_URL })))
  }])
]

const listening = (app: SpawnedApp) =>
  Effect.suspend(() => {
    const url = jsonLogLines(app.stdout())
      .map((line) => /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(String(line["message"]))?.[1])
      .find((found) => found !== undefined)
    if (url !== undefined) return Effect.succeed(url)
    if (app.process.exitCode !== null) {
      return Effect.die(new Error(`the server exited (${app.process.exitCode}):\n${app.stderr()}${app.stdout().slice(-2000)}`))
    }
    return Effect.fail("not listening yet")
  }).pipe(
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({ duration: Duration.minutes(4), onTimeout: () => new Error(`no "Listening on":\n${app.stderr()}`) })
  )

const api = (url: string, method: string, path: string, token?: string, body?: unknown) =>
  Effect.promise(async () => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { "content-type": "application/json" })
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
    return JSON.parse(text) as Record<string, unknown>
  })

describe.each(backends)("answers across a SIGKILL on $name", ({ database }) => {
  it.scopedLive("every acknowledged answer is there after a restart", () =>
    Effect.gen(function*() {
      const dataDir = yield* Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "compilar-restart-"))),
        (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
      )
      const env = {
        ...(yield* database),
        PORT: "0",
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: "Info",
        ACCESS_LOG: "false",
        LLM_PROVIDERS: "offline",
        EMBEDDINGS: "offline",
        RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
        RATE_LIMIT_AI_PER_MINUTE: "1000000",
        RATE_LIMIT_SIGNIN_PER_MINUTE: "1000000",
        RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: "1000000"
      }
      const started = Date.now()
      const step = (what: string) => Effect.sync(() => console.info(`[restart] ${what} after ${Date.now() - started} ms`))
      const first = yield* spawnApp(env)
      const url = yield* listening(first)
      yield* step("listening")

      // 5 learners, 20 assessments with their quiz: 200 questions, each to be answered once.
      const slots: Array<{ token: string; assessment: string; question: string; value: number }> = []
      for (let i = 0; i < 5; i++) {
        const session = yield* api(url, "POST", "/api/v1/auth/signup", undefined, {
          email: `k${i}.${randomBytes(4).toString("hex")}@example.com`,
          password: "Correct-horse-battery-9",
          displayName: `K${i}`
        })
        const token = String(session["accessToken"])
        for (let j = 0; j < 4; j++) {
          const a = yield* api(url, "POST", "/api/v1/assessments", token, { draw: true })
          const quiz = yield* api(url, "POST", `/api/v1/assessments/${String(a["id"])}/questions`, token)
          for (const q of quiz["questions"] as Array<{ id: string }>) {
            slots.push({ token, assessment: String(a["id"]), question: q.id, value: (slots.length % 5) + 1 })
          }
        }
      }
      expect(slots).toHaveLength(200)
      yield* step("set up")

      // 20 at a time; SIGKILL once 60 were acknowledged, with others in flight.
      const acknowledged: Array<(typeof slots)[number]> = []
      const refused: Array<string> = []
      let failed = 0
      yield* Effect.forEach(slots, (slot) =>
        Effect.promise(async () => {
          try {
            const response = await fetch(`${url}/api/v1/assessments/${slot.assessment}/answers/${slot.question}`, {
              method: "PUT",
              headers: { authorization: `Bearer ${slot.token}`, "content-type": "application/json" },
              body: JSON.stringify({ value: slot.value })
            })
            const text = await response.text()
            if (response.status === 200) acknowledged.push(slot)
            else refused.push(`${response.status} ${text.slice(0, 200)}`)
          } catch {
            failed++
          }
          if (acknowledged.length >= 60 && first.process.exitCode === null) first.kill("SIGKILL")
        }), { concurrency: 20, discard: true })
      // Refusals would mean a broken setup, not a crash: the only failures wanted are cut connections.
      expect(refused).toEqual([])
      yield* first.exited
      yield* step(`killed with ${acknowledged.length} acknowledged, ${failed} cut`)
      expect(acknowledged.length).toBeGreaterThanOrEqual(60)
      expect(failed).toBeGreaterThan(0)

      const second = yield* spawnApp(env)
      const again = yield* listening(second)
      yield* step("restarted")
      let missing = 0
      for (const assessment of new Set(acknowledged.map((s) => s.assessment))) {
        const owner = acknowledged.find((s) => s.assessment === assessment)!.token
        const detail = yield* api(again, "GET", `/api/v1/assessments/${assessment}`, owner)
        const stored = detail["answers"] as Record<string, number>
        for (const slot of acknowledged.filter((s) => s.assessment === assessment)) {
          if (stored[slot.question] !== slot.value) missing++
        }
      }
      expect(missing).toBe(0)
      // And the journey goes on where it stopped.
      const slot = acknowledged[0]!
      const answer = yield* api(again, "PUT", `/api/v1/assessments/${slot.assessment}/answers/${slot.question}`, slot.token, { value: 3 })
      expect(answer).toEqual({ questionId: slot.question, value: 3 })
    }), 600_000)
})
