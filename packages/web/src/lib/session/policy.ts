/**
 * The decisions of the session, free of timers and network so they can be tested alone: when a
 * failed call deserves a silent refresh, and what a failed refresh means.
 */

const tagOf = (u: unknown): string | undefined =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" ? u._tag : undefined

/**
 * Whether a call that failed is worth one refresh and one retry: the access token expired
 * (`token_expired`), or a token was sent and refused (`unauthorized`; e.g. the server's key
 * changed). Without a token there is nothing to refresh: the learner is signed out.
 */
export const shouldRenew = (error: unknown, sentToken: string | undefined): boolean => {
  const tag = tagOf(error)
  return tag === "TokenExpired" || (tag === "Unauthorized" && sentToken !== undefined)
}

/**
 * What a refused refresh means:
 * - `reused`: the cookie's token had been used already (`refresh_reused`); the server revoked
 *   the session everywhere, so sign out and say why.
 * - `ended`: no session any more (`unauthorized`: signed out, expired or revoked); sign out.
 * - `unavailable`: the server could not answer (network, 429, 5xx); the session may be fine,
 *   so keep it and try again later.
 */
export type RefreshFailure = "reused" | "ended" | "unavailable"

export const refreshFailure = (error: unknown): RefreshFailure => {
  switch (tagOf(error)) {
    case "RefreshReused":
      return "reused"
    case "Unauthorized":
      return "ended"
    default:
      return "unavailable"
  }
}
