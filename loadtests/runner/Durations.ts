import { ConfigError } from "./Errors.js"

const units: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }

/**
 * A k6 duration (`"500ms"`, `"30s"`, `"1m30s"`, `"2h"`) in milliseconds. A plain number is
 * milliseconds, as k6 reads it in `params.timeout`. `what` names the option in the error.
 */
export const parseDuration = (value: unknown, what: string): number => {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value
  if (typeof value !== "string" || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value.trim())) {
    throw new ConfigError(`${what}: expected a duration like "30s", "1m30s" or "500ms", got ${JSON.stringify(value)}`)
  }
  let total = 0
  for (const [, amount, , unit] of value.trim().matchAll(/(\d+(\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * units[unit!]!
  }
  return total
}

/** `1m30s`, `2.5s`, `800ms`: how the summary prints a duration. */
export const formatDuration = (ms: number): string => {
  if (ms < 1_000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${Number((ms / 1_000).toFixed(1))}s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1_000)
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`
}
