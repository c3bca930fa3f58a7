import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { contentSecurityPolicy } from "../../src/Http/SecurityHeaders.js"
import { rawRequest } from "../support/RawHttp.js"
import { stubDatabase } from "../support/StubDatabase.js"
import { TestServer } from "../support/TestServer.js"

/**
 * The built web app served beside the API, from a `webDist` folder made for the test:
 *
 *   <tmp>/secret.txt            ← outside the folder: must never be served
 *   <tmp>/package.json          ← likewise
 *   <tmp>/dist-evil/secret.txt  ← likewise (its path starts with the folder's)
 *   <tmp>/dist/index.html
 *   <tmp>/dist/robots.txt
 *   <tmp>/dist/assets/app-abc123.js
 */
const indexHtml = "<!doctype html><html><body><div id=\"app\">compilar-spa-index</div></body></html>"
const appJs = "console.log(\"compilar-asset-abc123\")"
const secret = "compilar-secret-outside-web-dist"

const webDist = (options: { readonly withIndex: boolean }) =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const root = await mkdtemp(join(tmpdir(), "compilar-static-"))
      const dist = join(root, "dist")
      await mkdir(join(dist, "assets"), { recursive: true })
      await writeFile(join(root, "secret.txt"), secret)
      await writeFile(join(root, "package.json"), JSON.stringify({ name: secret }))
      await mkdir(join(root, "dist-evil"))
      await writeFile(join(root, "dist-evil", "secret.txt"), secret)
      await writeFile(join(dist, "robots.txt"), "User-agent: *\n")
      await writeFile(join(dist, "assets", "app-abc123.js"), appJs)
      if (options.withIndex) await writeFile(join(dist, "index.html"), indexHtml)
      return { root, dist }
    }),
    ({ root }) => Effect.promise(() => rm(root, { recursive: true, force: true }))
  )

const serverOver = (options: { readonly withIndex: boolean }) =>
  Layer.unwrapScoped(Effect.map(webDist(options), ({ dist }) =>
    TestServer.layer({ database: stubDatabase, config: { webDist: Option.some(dist) } })))

const get = (path: string) => Effect.flatMap(TestServer, ({ url }) => rawRequest(url, path))

const expectNotFoundEnvelope = (response: { status: number; headers: Record<string, unknown>; body: string }) => {
  expect(response.status).toBe(404)
  expect(response.headers["content-type"]).toContain("application/json")
  expect(JSON.parse(response.body)).toMatchObject({ error: { code: "route_not_found" } })
}

describe("static web app", () => {
  layer(serverOver({ withIndex: true }), { excludeTestServices: true, timeout: 60_000 })("built", (it) => {
    it.effect.each(["/", "/explorer", "/deep/client/route", "/explorer?tab=2"])(
      "%s → index.html, revalidated, with the CSP",
      (path) =>
        Effect.gen(function*() {
          const response = yield* get(path)
          expect(response.status).toBe(200)
          expect(response.body).toBe(indexHtml)
          expect(response.headers["content-type"]).toContain("text/html")
          expect(response.headers["cache-control"]).toBe("no-cache")
          expect(response.headers["content-security-policy"]).toBe(contentSecurityPolicy)
          expect(response.headers["x-frame-options"]).toBe("DENY")
        })
    )

    it.effect("a hashed asset is served as it is and cached for a year", () =>
      Effect.gen(function*() {
        const response = yield* get("/assets/app-abc123.js")
        expect(response.status).toBe(200)
        expect(response.body).toBe(appJs)
        expect(response.headers["content-type"]).toContain("javascript")
        expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable")
      }))

    it.effect("a file outside /assets is served but revalidated", () =>
      Effect.gen(function*() {
        const response = yield* get("/robots.txt")
        expect(response.status).toBe(200)
        expect(response.body).toBe("User-agent: *\n")
        expect(response.headers["cache-control"]).toBe("no-cache")
      }))

    it.effect("a missing file with an extension → 404 route_not_found envelope, not the SPA", () =>
      Effect.gen(function*() {
        expectNotFoundEnvelope(yield* get("/missing.png"))
        expectNotFoundEnvelope(yield* get("/assets/app-000000.js"))
      }))

    it.effect("server-owned paths never fall back to the SPA", () =>
      Effect.gen(function*() {
        for (const path of ["/api/v1/whatever", "/api", "/api/v1/deep/route", "/docs/nothing"]) {
          const response = yield* get(path)
          expectNotFoundEnvelope(response)
          expect(response.body).not.toContain("compilar-spa-index")
        }
      }))

    it.effect.each([
      "/..%2fsecret.txt",
      "/..%2f..%2fetc/passwd",
      "/%2e%2e/secret.txt",
      "/%2e%2e%2fsecret.txt",
      "/assets/..%2f..%2fsecret.txt",
      "/assets/../../secret.txt",
      "/assets/../../package.json",
      "/../secret.txt",
      "/..%5csecret.txt",
      "/..%2fdist-evil%2fsecret.txt"
    ])("path traversal %s never leaks a file outside the folder", (path) =>
      Effect.gen(function*() {
        const response = yield* get(path)
        expect(response.body).not.toContain(secret)
        expect(response.body).not.toMatch(/root:.*:0:0:/)
        // Either refused outright, or normalised to a path inside the folder (then the SPA or a 404).
        expectNotFoundEnvelope(response)
      }))
  })

  layer(serverOver({ withIndex: false }), { excludeTestServices: true, timeout: 60_000 })("not built", (it) => {
    it.effect("a webDist without index.html → 503 saying how to build the app", () =>
      Effect.gen(function*() {
        const response = yield* get("/")
        expect(response.status).toBe(503)
        expect(response.headers["content-type"]).toContain("text/plain")
        expect(response.body).toContain("has not been built")
        expect(response.body).toContain("--filter @compilar/web build")
        const route = yield* get("/explorer")
        expect(route.status).toBe(503)
        // Files that do exist are still served.
        expect((yield* get("/assets/app-abc123.js")).status).toBe(200)
      }))
  })
})
