import { readFileSync } from "node:fs"

const packageVersion = (): string => {
  const pkg: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
  return typeof pkg === "object" && pkg !== null && "version" in pkg && typeof pkg.version === "string"
    ? pkg.version
    : "0.0.0"
}

/** The running build's version, as reported by /health and in telemetry. `APP_VERSION` overrides it. */
export const version: string = process.env["APP_VERSION"] ?? packageVersion()
