import { Api, errorCatalog, errorCodes } from "@compilar/domain"
import { HttpApiBuilder, HttpServerResponse, OpenApi } from "@effect/platform"
import { Effect, Layer } from "effect"

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c] ?? c)

/** The catalogue's meanings use `backticks` for code, as the README does. */
const withCode = (s: string) => escape(s).replace(/`([^`]+)`/g, "<code>$1</code>")

const stylesheet = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111827}
table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
code{font:14px ui-monospace,monospace;background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}a{color:#0f766e}`

/** The OpenAPI document of the whole contract, built once. */
export const openApiSpec = OpenApi.fromApi(Api)

/**
 * A plain, script-free reading of the OpenAPI document (the CSP forbids the usual
 * CDN-hosted viewers, and the app must work offline). The machine-readable document is
 * at /docs/openapi.json.
 */
const renderDocs = (spec: OpenApi.OpenAPISpec) => {
  const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    (["get", "post", "put", "patch", "delete"] as const).flatMap((method) => {
      const op = item[method]
      return op === undefined
        ? []
        : [`<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escape(path)}</code></td><td>${
          escape(op.description ?? op.summary ?? "")
        }</td></tr>`]
    })
  )
  const codes = errorCodes.map((code) =>
    `<tr><td><code>${code}</code></td><td>${errorCatalog[code].status}</td><td>${withCode(errorCatalog[code].meaning)}</td></tr>`
  )
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(spec.info.title)}</title><link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/docs/docs.css"></head>
<body><main><h1>${escape(spec.info.title)} ${escape(spec.info.version)}</h1>
<p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI ${escape(spec.openapi)}).</p>
<h2>Operations</h2><table><thead><tr><th>Method</th><th>Path</th><th>Description</th></tr></thead><tbody>${
    operations.join("")
  }</tbody></table>
<h2>Errors</h2><p>Every failure answers <code>{ "error": { "code", "message", "details"?, "requestId" } }</code>.</p>
<table><thead><tr><th>Code</th><th>Status</th><th>Meaning</th></tr></thead><tbody>${codes.join("")}</tbody></table>
</main></body></html>`
}

export const DocsLive = Layer.mergeAll(
  HttpApiBuilder.middlewareOpenApi({ path: "/docs/openapi.json" }),
  HttpApiBuilder.Router.use((router) => {
    const html = renderDocs(openApiSpec)
    return Effect.zipRight(
      router.get("/docs", Effect.succeed(HttpServerResponse.text(html, { contentType: "text/html; charset=utf-8" }))),
      router.get("/docs/docs.css", Effect.succeed(HttpServerResponse.text(stylesheet, { contentType: "text/css" })))
    )
  })
)
