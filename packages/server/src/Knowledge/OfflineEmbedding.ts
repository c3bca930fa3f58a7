/**
 * The offline embedding: a deterministic, dependency-free text vector for the embedded
 * default (no network, no model weights). It is NOT a neural embedding. It is signed feature
 * hashing of lexical features into 384 dimensions:
 *
 * - words, lower-cased, stop words dropped, reduced to a crude stem (so "disagreeing" and
 *   "disagreement" meet), each also expanded through a small thesaurus of the framework's
 *   vocabulary (so "boss" meets "manager" and "authority");
 * - word pairs (phrases such as "psychological safety");
 * - character 4-grams of each stem (spelling variants and compounds).
 *
 * Each feature is hashed (FNV-1a) to a dimension and a sign, weighted by a sublinear term
 * frequency, and the vector is L2-normalised, so cosine similarity measures shared
 * vocabulary. It finds passages that use the learner's words or their near relatives; it
 * cannot know that "nobody speaks up" means low psychological safety unless words overlap.
 * Production uses OpenAI's `text-embedding-3-small` instead.
 */
export const OFFLINE_MODEL = "offline-hash-v1"
export const OFFLINE_DIMENSIONS = 384

const stopWords = new Set(
  ("a about above after again against all am an and any are as at be because been before being below between both " +
    "but by can could did do does doing down during each few for from further had has have having he her here hers " +
    "herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on " +
    "once only or other our ours ourselves out over own same she should so some such than that the their theirs them " +
    "themselves then there these they this those through to too under until up very was we were what when where " +
    "which while who whom why will with would you your yours yourself yourselves").split(" ")
)

/** Framework vocabulary a learner may phrase differently; each word also counts as its group. */
const thesaurus: ReadonlyArray<ReadonlyArray<string>> = [
  ["boss", "manager", "leader", "supervisor", "authority", "senior", "rank", "hierarchy"],
  ["disagree", "dissent", "challenge", "object", "push", "question", "contradict"],
  ["afraid", "fear", "scared", "unsafe", "risk", "nervous", "anxious"],
  ["safe", "safety", "secure", "trust"],
  ["help", "support", "assist", "aid", "favour", "favor"],
  ["credit", "recognition", "acknowledge", "praise", "reward"],
  ["goal", "target", "objective", "aim", "vision", "mission"],
  ["like", "liked", "popular", "popularity", "warmth", "friendly", "belong"],
  ["respect", "competent", "competence", "capable", "reliable", "trustworthy"],
  ["idea", "proposal", "suggestion", "innovation", "change", "new"],
  ["conform", "conformity", "norm", "rule", "tradition", "status quo", "stability"],
  ["promotion", "career", "advancement", "ambition", "progress"],
  ["owe", "debt", "repay", "payback", "reciprocate", "return"],
  ["team", "group", "colleague", "peer", "member", "coworker"],
  ["delegate", "delegation", "handover", "rely"],
  ["blame", "scapegoat", "fault", "accuse"]
].map((group) => group.map((word) => stem(word)))

function stem(word: string): string {
  let w = word
  for (const suffix of ["ational", "ations", "ation", "nesses", "ness", "ments", "ment", "ities", "ity", "ings", "ing", "edly", "ed", "ies", "ive", "ly", "es", "s"]) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length)
      break
    }
  }
  return w.replace(/(.)\1$/, "$1")
}

const synonyms = new Map<string, ReadonlyArray<string>>()
for (const group of thesaurus) for (const word of group) synonyms.set(word, group)

const fnv1a = (text: string, seed: number): number => {
  let hash = 0x811c9dc5 ^ seed
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const stems = (text: string): Array<string> =>
  (text.toLowerCase().normalize("NFKD").match(/[a-z]+/g) ?? [])
    .filter((word) => word.length > 1 && !stopWords.has(word))
    .map(stem)

/** Each feature with its kind's weight and how often it occurs. */
const features = (text: string): Map<string, { readonly weight: number; count: number }> => {
  const weights = new Map<string, { readonly weight: number; count: number }>()
  const add = (feature: string, weight: number) => {
    const seen = weights.get(feature)
    if (seen === undefined) weights.set(feature, { weight, count: 1 })
    else seen.count++
  }
  const words = stems(text)
  words.forEach((word, i) => {
    add(`w:${word}`, 1)
    for (const synonym of synonyms.get(word) ?? []) if (synonym !== word) add(`w:${synonym}`, 0.5)
    const next = words[i + 1]
    if (next !== undefined) add(`p:${word} ${next}`, 0.7)
    const padded = `^${word}$`
    for (let j = 0; j + 4 <= padded.length; j++) add(`c:${padded.slice(j, j + 4)}`, 0.25)
  })
  return weights
}

/** The offline vector of `text`: unit length, or all zeros for text with no content words. */
export const offlineEmbedding = (text: string): Float32Array => {
  const vector = new Float32Array(OFFLINE_DIMENSIONS)
  for (const [feature, { count, weight }] of features(text)) {
    const hash = fnv1a(feature, 0)
    const sign = fnv1a(feature, 0x5bd1e995) & 1 ? 1 : -1
    vector[hash % OFFLINE_DIMENSIONS]! += sign * weight * (1 + Math.log(count))
  }
  let norm = 0
  for (const x of vector) norm += x * x
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < vector.length; i++) vector[i]! *= scale
  }
  return vector
}

export const cosine = (a: Float32Array, b: Float32Array): number => {
  let dot = 0
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!
  return dot
}
