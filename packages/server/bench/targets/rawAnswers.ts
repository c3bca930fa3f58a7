/**
 * The baseline for answer writes: `PUT /api/v1/assessments/:id/answers/:questionId` on bare
 * node:http and a `pg` Pool(10), doing the same work as the real handler with nothing around
 * it: verify the HS256 access token, read and check the JSON body, run the same upsert (owner,
 * question and state checked in the statement), answer the same JSON. No error envelope,
 * idempotency keys, rate limits or logs. Needs DATABASE_URL and AUTH_JWT_SECRET.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import pg from "pg"

const pool = new pg.Pool({ connectionString: process.env["DATABASE_URL"], max: 10 })
const key = Buffer.from(process.env["AUTH_JWT_SECRET"] ?? "", "utf8")
const route = /^\/api\/v1\/assessments\/([0-9a-f-]{36})\/answers\/(q\d{2})$/

/** The token's subject, when its signature and expiry hold. */
const subject = (header: string | undefined): string | undefined => {
  const token = header?.startsWith("Bearer ") ? header.slice(7) : undefined
  const parts = token?.split(".")
  if (parts?.length !== 3) return undefined
  const expected = createHmac("sha256", key).update(`${parts[0]}.${parts[1]}`).digest()
  const given = Buffer.from(parts[2]!, "base64url")
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { sub?: string; exp?: number }
  return typeof claims.sub === "string" && (claims.exp ?? 0) * 1000 > Date.now() ? claims.sub : undefined
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const upsert = `
  insert into app.answers (assessment_id, question_id, value)
  select q.assessment_id, q.id, $4
  from app.assessments a
  join app.quiz_questions q on q.assessment_id = a.id and q.id = $3
  where a.id = $1 and a.user_id = $2 and a.status = 'in_progress'
  for key share of a
  on conflict (assessment_id, question_id) do update set value = excluded.value, answered_at = now()
  returning question_id, value`

const server = createServer(async (req, res) => {
  const match = req.method === "PUT" ? route.exec(req.url ?? "") : null
  if (match === null) return res.writeHead(404).end()
  const user = subject(req.headers.authorization)
  if (user === undefined) return res.writeHead(401).end()
  let value: unknown
  try {
    value = (JSON.parse(await body(req)) as { value?: unknown }).value
  } catch {
    return res.writeHead(400).end()
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 5) return res.writeHead(400).end()
  try {
    const result = await pool.query<{ question_id: string; value: number }>(upsert, [match[1], user, match[2], value])
    const row = result.rows[0]
    if (row === undefined) return res.writeHead(404).end()
    const json = JSON.stringify({ questionId: row.question_id, value: row.value })
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json) }).end(json)
  } catch {
    res.writeHead(500).end()
  }
})

await pool.query("select 1")
server.listen(Number(process.env["PORT"]), "127.0.0.1", () => console.log("ready"))
process.on("SIGTERM", () => server.close(() => void pool.end().then(() => process.exit(0))))
