/**
 * When to refresh an access token, silently, before it expires. Times are on this device's
 * clock: `expiresAt` is on the server's, and the two may disagree by minutes. So the token's
 * lifetime (`exp - iat`, both server times) is measured from the moment it arrived, and
 * `expiresAt` is only a fallback when the token cannot be read.
 */

export interface RefreshTiming {
  /** Refresh this long before the token expires, at most… */
  readonly maxLeadMs: number
  /** …and at most this share of its lifetime (a 60 s token is refreshed after 48 s, not at once). */
  readonly leadShare: number
  /** Never sooner than this, so a token that looks expired on arrival cannot start a refresh loop. */
  readonly minDelayMs: number
}

export const defaultRefreshTiming: RefreshTiming = { maxLeadMs: 60_000, leadShare: 0.2, minDelayMs: 5_000 }

/** Browsers run a timeout longer than 2^31 - 1 ms at once; stay below. */
const maxTimerMs = 2 ** 31 - 1

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/** `iat` and `exp` (seconds) of a JWT, read without verifying it (the server verifies). */
export const tokenTimes = (token: string): { readonly iat: number; readonly exp: number } | undefined => {
  const payload = token.split(".")[1]
  if (payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined
  try {
    const padded = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=")
    const claims: unknown = JSON.parse(atob(padded))
    if (!isRecord(claims)) return undefined
    const { iat, exp } = claims
    return typeof iat === "number" && typeof exp === "number" && exp > iat ? { iat, exp } : undefined
  } catch {
    return undefined
  }
}

/**
 * How long a token just received stays valid, in milliseconds: `exp - iat` from the token when it
 * has them, otherwise `expiresAt` against this device's clock at `receivedAtMs`.
 */
export const tokenLifetimeMs = (token: string, expiresAtMs: number, receivedAtMs: number): number => {
  const times = tokenTimes(token)
  return times !== undefined ? (times.exp - times.iat) * 1000 : Math.max(0, expiresAtMs - receivedAtMs)
}

/** How long to wait, from the moment a token arrived, before refreshing it. */
export const refreshDelayMs = (lifetimeMs: number, timing: RefreshTiming = defaultRefreshTiming): number => {
  const lead = Math.min(timing.maxLeadMs, lifetimeMs * timing.leadShare)
  return Math.min(maxTimerMs, Math.max(timing.minDelayMs, Math.round(lifetimeMs - lead)))
}

/** After a refresh failed for a reason that may pass (network, 429): try again after this long. */
export const retryDelayMs = (failures: number, timing: RefreshTiming = defaultRefreshTiming): number =>
  Math.min(60_000, timing.minDelayMs * 2 ** Math.max(0, failures - 1))
