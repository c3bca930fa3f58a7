/** Deterministic content: the default reply, how text splits into tokens, usage and embeddings. */
import { createHash } from "node:crypto"

export const defaultReply =
  "Hello from llm-fake. This deterministic reply lets tests assert the exact text, finish reason and usage."

/** Splits text into the pieces streamed one per chunk: each word with the whitespace before it. */
export const tokenize = (text: string): ReadonlyArray<string> => text.match(/\s*\S+|\s+$/g) ?? []

/** A token count for any text: its words and punctuation runs (deterministic, roughly like a real tokenizer). */
export const countTokens = (text: string): number => (text.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []).length

/** All the strings inside a JSON value, joined: the text of a prompt however it is shaped. */
export const textOf = (u: unknown): string => {
  if (typeof u === "string") return u
  if (Array.isArray(u)) return u.map(textOf).join(" ")
  if (typeof u === "object" && u !== null) return Object.values(u).map(textOf).join(" ")
  return ""
}

/** Keeps the first `max` tokens of a reply; says whether it was cut. */
export const limitTokens = (tokens: ReadonlyArray<string>, max: number | undefined): { readonly tokens: ReadonlyArray<string>; readonly cut: boolean } =>
  max !== undefined && tokens.length > max ? { tokens: tokens.slice(0, max), cut: true } : { tokens, cut: false }

const hash = (text: string): Buffer => createHash("sha256").update(text).digest()

/** A random-looking but deterministic id suffix derived from a seed string. */
export const idFrom = (seed: string, length = 24): string =>
  hash(seed).toString("base64url").replace(/[-_]/g, "x").slice(0, length)

/**
 * A deterministic unit vector: hashed bag of words, so texts sharing words have a positive
 * cosine similarity and identical texts identical vectors.
 */
export const embed = (text: string, dimensions: number): Float32Array => {
  const vector = new Float32Array(dimensions)
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [""]
  for (const word of words) {
    const h = hash(word)
    for (let k = 0; k < 4; k++) {
      const index = h.readUInt32LE(k * 4) % dimensions
      const sign = (h[16 + k] ?? 0) & 1 ? 1 : -1
      vector[index] = (vector[index] ?? 0) + sign * (1 / (k + 1))
    }
  }
  const norm = Math.hypot(...vector) || 1
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) / norm
  return vector
}

export const embeddingDimensions = (model: string): number =>
  model.includes("3-large") ? 3072 : 1536
