import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vite"
import solid from "vite-plugin-solid"

/** Where `vite dev` / `vite preview` forward API calls; the server listens on 3001 by default. */
const apiTarget = process.env["API_PROXY_TARGET"] ?? "http://localhost:3001"
const proxy = {
  "/api": { target: apiTarget, changeOrigin: true },
  "/health": { target: apiTarget, changeOrigin: true },
  "/docs": { target: apiTarget, changeOrigin: true }
}

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string }

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid()],
  // Only VITE_-prefixed variables reach the bundle; never give a secret that prefix.
  envPrefix: "VITE_",
  define: { "import.meta.env.VITE_APP_VERSION": JSON.stringify(pkg.version) },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // The CSP forbids inline scripts; keep every asset a file (no data: scripts either).
    assetsInlineLimit: 0
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy }
})
