/**
 * Where to go after signing in: `/signin?next=/history`. `next` comes from the URL, so anyone can
 * write it; only a path of this app is accepted (never another origin, which would make the
 * sign-in page an open redirect that phishing links could borrow).
 */

/** Any origin would do: it is only used to resolve a path and to check it stayed on it. */
const probeOrigin = "https://compilar.invalid"

/** The pages that lead here; going "back" to them after signing in would loop. */
const accountEntryPaths: ReadonlySet<string> = new Set(["/signin", "/signup"])

const maxLength = 2048

/**
 * `raw` as a same-origin path (`/path?query#hash`), or undefined when it is anything else: not a
 * string, not starting with a single `/` (`//host` and `/\host` are other origins to a browser),
 * holding control characters or backslashes (browsers drop tabs and newlines and read `\` as `/`,
 * so `/\t/evil.example` would become `//evil.example`), or the sign-in pages themselves.
 */
export const safeNextPath = (raw: unknown): string | undefined => {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > maxLength) return undefined
  if (!raw.startsWith("/") || raw.startsWith("//")) return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(raw)) return undefined
  let url: URL
  try {
    url = new URL(raw, probeOrigin)
  } catch {
    return undefined
  }
  if (url.origin !== probeOrigin) return undefined
  if (accountEntryPaths.has(url.pathname)) return undefined
  return `${url.pathname}${url.search}${url.hash}`
}

/** The first value of a search parameter as `useSearchParams` gives it. */
const first = (raw: string | ReadonlyArray<string> | undefined): string | undefined =>
  typeof raw === "string" ? raw : raw?.[0]

/** Where to go after signing in, from the page's `next` parameter: a safe path, else home. */
export const nextFromParams = (params: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>): string =>
  safeNextPath(first(params["next"])) ?? "/"

/** A link to an account page (`/signin`, `/signup`) that comes back to `path` afterwards. */
export const accountHref = (page: "/signin" | "/signup", path: string | undefined): string => {
  const next = safeNextPath(path)
  return next === undefined || next === "/" ? page : `${page}?next=${encodeURIComponent(next)}`
}
