/**
 * Highlighting the words of a query in a passage, as data: the passage split into segments, the
 * matching ones flagged, for the page to render as text (spans and <mark>s, never HTML).
 */

export interface Segment {
  readonly text: string
  readonly match: boolean
}

/** Words too common to be worth marking. */
const stopWords: ReadonlySet<string> = new Set(
  (
    "a an and are as at be but by can could did do does for from had has have how i if in into is it its " +
    "me my no not of on or our so than that the their them then there these they this to too us was we " +
    "were what when where which who why will with would you your mean means about more most some"
  ).split(" ")
)

const word = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu

/** The shortest stem `stem` leaves; a shorter term is a whole word: "up" must not mark "upcoming". */
const shortestStem = 4

/** Strips a few English endings (to a prefix of `shortestStem`+ letters) so "delegate" finds "delegation" and "scores" finds "scoring". */
export const stem = (term: string): string => {
  for (const suffix of ["ations", "ation", "ings", "ing", "ions", "ion", "ies", "es", "ed", "ly", "s", "e"]) {
    if (term.endsWith(suffix) && term.length - suffix.length >= shortestStem) return term.slice(0, -suffix.length)
  }
  return term
}

/** The distinct, lowercased stems of a query's meaningful words (2+ letters, no stop words), longest first. */
export const queryTerms = (query: string): ReadonlyArray<string> => {
  const terms = new Set<string>()
  for (const [raw] of query.toLowerCase().matchAll(word)) {
    const bare = raw.replace(/['’]s$/u, "")
    if (bare.length < 2 || stopWords.has(bare)) continue
    terms.add(stem(bare))
  }
  return [...terms].sort((a, b) => b.length - a.length || a.localeCompare(b))
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/**
 * Splits `text` into segments, marking each word that starts with one of `terms` (whole words:
 * "lead" marks "leaders" but not "misleading"); a term shorter than a stem marks only itself or
 * its plural ("up", "ups"). Joining the segments gives back `text` exactly.
 */
export const highlight = (text: string, terms: ReadonlyArray<string>): ReadonlyArray<Segment> => {
  if (text === "") return []
  if (terms.length === 0) return [{ text, match: false }]
  const alternatives = terms.map((term) =>
    term.length < shortestStem ? `${escape(term)}s?(?![\\p{L}\\p{N}])` : `${escape(term)}[\\p{L}\\p{N}]*`
  )
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})`, "giu")
  const segments: Array<Segment> = []
  let at = 0
  for (const found of text.matchAll(pattern)) {
    const start = found.index
    if (start > at) segments.push({ text: text.slice(at, start), match: false })
    segments.push({ text: found[0], match: true })
    at = start + found[0].length
  }
  if (at < text.length) segments.push({ text: text.slice(at), match: false })
  return segments
}

/** Formats a score for people: two decimals, "—" when the passage was not found that way. */
export const formatScore = (score: number | null): string => (score === null ? "—" : score.toFixed(2))
