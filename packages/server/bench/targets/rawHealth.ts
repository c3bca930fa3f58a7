/**
 * The baseline: GET /health on bare node:http, doing the same work as the real handler
 * (a cached one-second database probe, the same JSON body), with no middleware at all.
 */
import { PGlite } from "@electric-sql/pglite"
import { createServer } from "node:http"

const db = new PGlite()
const startedAt = Date.now()
let probe: { at: number; latencyMs: number } = { at: 0, latencyMs: 0 }

const databaseCheck = async () => {
  if (Date.now() - probe.at > 1000) {
    const t = performance.now()
    await db.query("select 1")
    probe = { at: Date.now(), latencyMs: Math.round(performance.now() - t) }
  }
  return { status: "up", latencyMs: probe.latencyMs }
}

const server = createServer(async (req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    const body = JSON.stringify({
      status: "ok",
      version: "0.1.0",
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      checks: { database: await databaseCheck() },
      llm: {
        providers: ["offline"],
        breakers: [
          { provider: "offline", family: "chat", state: "closed", consecutiveFailures: 0 },
          { provider: "offline", family: "stream", state: "closed", consecutiveFailures: 0 }
        ]
      }
    })
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    res.end(body)
    return
  }
  res.writeHead(404).end()
})

await db.query("select 1")
server.listen(Number(process.env["PORT"]), "127.0.0.1", () => console.log("ready"))
process.on("SIGTERM", () => server.close(() => process.exit(0)))
