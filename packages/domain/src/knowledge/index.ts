/** The knowledge corpus: chunk schema, the generated corpus and its lookups, written guidance, relevance cases. */
export * from "./Schema.js"
export * from "./corpus.js"
export * from "./guidance.js"
export * from "./relevance.js"
