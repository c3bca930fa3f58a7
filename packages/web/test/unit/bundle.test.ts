import { existsSync, readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

/**
 * Checks on the built app (packages/web/dist, written by `vite build`; the root `test` script builds
 * first): it fits the server's CSP (no inline script or style in index.html) and carries no secret.
 */
const dist = fileURLToPath(new URL("../../dist", import.meta.url))
const built = existsSync(join(dist, "index.html"))

const files = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]
  )

describe("built bundle", () => {
  it("exists (the test command builds it first)", () => {
    expect(built, "run `npx --yes pnpm@10.34.8 --filter @compilar/web build` first").toBe(true)
  })

  it("index.html has no inline script, inline style or style attribute", () => {
    const html = readFileSync(join(dist, "index.html"), "utf8")
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/)
      expect(body?.trim()).toBe("")
    }
    expect(html).not.toMatch(/<style\b/)
    expect(html).not.toMatch(/\sstyle=/)
    expect(html).not.toMatch(/\son[a-z]+=/)
  })

  it("contains no secret-looking strings", () => {
    const suspicious = [
      /sk-[A-Za-z0-9_-]{20,}/, // OpenAI-style keys
      /sk-ant-[A-Za-z0-9_-]{10,}/, // Anthropic keys
      /OPENAI_API_KEY|ANTHROPIC_API_KEY|DATABASE_URL|SUPABASE_SERVICE_ROLE|JWT_SECRET|REDIS_URL/,
      /postgres(ql)?:\/\/[^\s"'`]+:[^\s"'`]+@/, // connection strings with a password
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/
    ]
    for (const file of files(dist).filter((f) => /\.(js|html|css)$/.test(f))) {
      const text = readFileSync(file, "utf8")
      for (const pattern of suspicious) expect(text, `${file} matches ${pattern}`).not.toMatch(pattern)
    }
  })
})
