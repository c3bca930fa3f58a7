import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as ServerError from "@effect/platform/HttpServerError"
import { Effect, Layer, Option } from "effect"
import { stat } from "node:fs/promises"
import { extname, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { ServerConfig } from "../Config.js"

/** Where `pnpm --filter @compilar/web build` writes the app, unless WEB_DIST says otherwise. */
export const defaultWebDist = fileURLToPath(new URL("../../../web/dist", import.meta.url))

/** Paths that belong to the server: never answered with the SPA's index.html. */
const serverOwned = (pathname: string) =>
  pathname === "/api" || pathname.startsWith("/api/") || pathname === "/docs" || pathname.startsWith("/docs/")

const isFile = (path: string) =>
  Effect.promise(() => stat(path).then((s) => s.isFile(), () => false))

const sendFile = (path: string, cacheControl: string) =>
  HttpServerResponse.file(path, { headers: { "cache-control": cacheControl } }).pipe(Effect.orDie)

const notBuilt = HttpServerResponse.text(
  "The web app has not been built yet. Run `npx --yes pnpm@10.34.8 --filter @compilar/web build`, then reload.",
  { status: 503 }
)

/**
 * Serves the built web app: hashed assets cached for a year, everything else revalidated,
 * and any extension-less path answered with index.html so client-side routes survive a reload.
 */
export const serveWebApp = (root: string) => {
  const index = resolve(root, "index.html")
  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const pathname = decodeURIComponent(new URL(request.url, "http://local").pathname)
    const notFound = Effect.fail(new ServerError.RouteNotFound({ request }))
    if (serverOwned(pathname)) return yield* notFound
    const file = resolve(root, `.${pathname}`)
    if (!file.startsWith(root + sep) && file !== root) return yield* notFound
    if (pathname !== "/" && (yield* isFile(file))) {
      const immutable = pathname.startsWith("/assets/")
      return yield* sendFile(file, immutable ? "public, max-age=31536000, immutable" : "no-cache")
    }
    if (extname(pathname) !== "") return yield* notFound
    if (!(yield* isFile(index))) return yield* notBuilt
    return yield* sendFile(index, "no-cache")
  })
}

export const StaticFilesLive = Layer.unwrapEffect(
  Effect.map(ServerConfig, (config) => {
    const root = resolve(Option.getOrElse(config.webDist, () => defaultWebDist))
    const handler = serveWebApp(root)
    return HttpApiBuilder.Router.use((router) => Effect.all([router.get("/", handler), router.get("/*", handler)]))
  })
)
