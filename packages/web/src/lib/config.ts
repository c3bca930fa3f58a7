/**
 * Build-time configuration. Only `VITE_`-prefixed variables reach the bundle, and everything
 * here is public by construction: never put a secret behind a `VITE_` name.
 */

/** Normalises a base URL: trims whitespace and trailing slashes; empty means "same origin". */
export const normaliseBaseUrl = (raw: string | undefined): string => (raw ?? "").trim().replace(/\/+$/, "")

export interface AppConfig {
  /** Prefix for API calls: "" (same origin, the default) or an absolute URL such as `https://api.example.com`. */
  readonly apiBaseUrl: string
  /** Shown in the footer next to the API's version. */
  readonly webVersion: string
}

export const config: AppConfig = {
  apiBaseUrl: normaliseBaseUrl(import.meta.env.VITE_API_BASE_URL),
  webVersion: import.meta.env.VITE_APP_VERSION ?? "dev"
}
