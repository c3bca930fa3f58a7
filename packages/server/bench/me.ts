/**
 * The `/me` part of `pnpm bench`: authenticated `GET /api/v1/auth/me` with the verified-token
 * cache warm. Two budgets (issue 3): over 10,000 requests the cache's hit rate is at least 99%
 * (read from `/api/v1/auth/cache-stats` before and after), and throughput is at least 90% of
 * the unauthenticated `GET /health` figure from the same run.
 */
import autocannon from "autocannon"
import { median, percentileOf } from "./stats.js"

export const benchOperatorEmail = "bench-ops@example.com"

const password = "Bench-password-1234"
const HIT_RATE_REQUESTS = 10_000
const CONNECTIONS = Number(process.env["BENCH_CONNECTIONS"] ?? 20)

export const meBudgets = { hitRate: 0.99, ratioToHealth: 0.9 } as const

export interface MeTokens {
  /** Sends every measured /me. */
  readonly learner: string
  /** Reads the cache's counters. */
  readonly operator: string
}

const signUp = async (url: string, email: string): Promise<string> => {
  const response = await fetch(`${url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, displayName: "Bench" })
  })
  if (response.status !== 201) throw new Error(`bench sign-up answered ${response.status}: ${await response.text()}`)
  return ((await response.json()) as { accessToken: string }).accessToken
}

/** A learner and an operator on a fresh server, and the learner's token verified once (the cache warm). */
export const meSetup = async (url: string): Promise<MeTokens> => {
  const tokens = { learner: await signUp(url, "bench-learner@example.com"), operator: await signUp(url, benchOperatorEmail) }
  const warm = await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${tokens.learner}` } })
  if (warm.status !== 200) throw new Error(`bench /me answered ${warm.status}`)
  return tokens
}

interface CacheStats {
  readonly hits: number
  readonly misses: number
}

const cacheStats = async (url: string, operator: string): Promise<CacheStats> => {
  const response = await fetch(`${url}/api/v1/auth/cache-stats`, { headers: { authorization: `Bearer ${operator}` } })
  if (response.status !== 200) throw new Error(`cache-stats answered ${response.status}`)
  return (await response.json()) as CacheStats
}

export interface HitRate {
  readonly requests: number
  readonly hits: number
  readonly misses: number
  readonly rate: number
  readonly non2xx: number
}

/** Exactly 10,000 authenticated /me, and what the cache counted meanwhile. */
export const meHitRate = async (url: string, tokens: MeTokens): Promise<HitRate> => {
  const before = await cacheStats(url, tokens.operator)
  const result = await autocannon({
    url: `${url}/api/v1/auth/me`,
    connections: CONNECTIONS,
    amount: HIT_RATE_REQUESTS,
    headers: { authorization: `Bearer ${tokens.learner}` }
  })
  const after = await cacheStats(url, tokens.operator)
  // The second cache-stats call authenticated too (a hit) before it read the counters.
  const hits = after.hits - before.hits - 1
  const misses = after.misses - before.misses
  return {
    requests: result.requests.total,
    hits,
    misses,
    rate: hits / Math.max(1, hits + misses),
    non2xx: result.non2xx + result.errors
  }
}

const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL")

/**
 * The verdict uses the median of the per-round ratios: in each round /me runs right beside
 * /health, so a round's ratio compares two loads that saw the same machine, while the ratio
 * of the two medians can pair a quiet moment with a busy one. Both are printed, with the
 * quartiles of the per-round ratios and the server's CPU per request: the difference, round by
 * round, is what authenticating costs in microseconds. The rounds are the main ones (5 s each,
 * /me after /health) and the short pairs (`BENCH_ME_PAIRS` of `BENCH_ME_PAIR_SECONDS`,
 * alternating order).
 */
export const printMe = <S extends { readonly rps: number; readonly cpuUs: number }>(
  rounds: { readonly me: ReadonlyArray<S>; readonly health: ReadonlyArray<S> },
  summarize: (samples: ReadonlyArray<S>) => S,
  hitRate: HitRate,
  row: (name: string, sample: S, baseline?: S) => string
) => {
  const me = summarize(rounds.me)
  const health = summarize(rounds.health)
  const paired = rounds.me.map((sample, i) => sample.rps / (rounds.health[i]?.rps ?? Number.NaN))
  const ratio = median(paired)
  // What the server spent per request, beside it in the same rounds: the cost of authenticating.
  const extraCpu = rounds.me.map((sample, i) => sample.cpuUs - (rounds.health[i]?.cpuUs ?? Number.NaN))
  const percent = (r: number) => `${(r * 100).toFixed(0)}%`
  console.log(`\n${row("compilar GET /api/v1/auth/me (warm)", me, health)}   (ratio of medians, to compilar GET /health)`)
  console.log(
    `  /me throughput ${(ratio * 100).toFixed(1)}% of GET /health (median of ${paired.length} rounds, quartiles ` +
      `${percent(percentileOf(paired, 25))}–${percent(percentileOf(paired, 75))}): ${verdict(ratio >= meBudgets.ratioToHealth)} ` +
      `(budget ≥ ${meBudgets.ratioToHealth * 100}%)\n  rounds: ${paired.map(percent).join(", ")}`
  )
  console.log(
    `  server CPU per request: /health ${health.cpuUs.toFixed(1)} µs, /me ${me.cpuUs.toFixed(1)} µs; /me minus /health ` +
      `per round: median ${median(extraCpu).toFixed(1)} µs (quartiles ${percentileOf(extraCpu, 25).toFixed(1)} to ` +
      `${percentileOf(extraCpu, 75).toFixed(1)})`
  )
  console.log(
    `  token cache over ${hitRate.requests} requests: ${hitRate.hits} hits, ${hitRate.misses} misses, hit rate ` +
      `${(hitRate.rate * 100).toFixed(2)}%: ${verdict(hitRate.rate >= meBudgets.hitRate && hitRate.non2xx === 0)} ` +
      `(budget ≥ ${meBudgets.hitRate * 100}%; non-2xx ${hitRate.non2xx})`
  )
}
