/** Order statistics for the bench's figures: nearest rank, as every line of `pnpm bench` reports them. */

/** The `p`th percentile (0–100) of values already sorted ascending; NaN when there are none. */
export const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN

/** The `p`th percentile of values in any order. */
export const percentileOf = (values: ReadonlyArray<number>, p: number): number =>
  percentile([...values].sort((a, b) => a - b), p)

export const median = (values: ReadonlyArray<number>): number => percentileOf(values, 50)
