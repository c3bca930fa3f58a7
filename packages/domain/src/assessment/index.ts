export * from "./Quiz.js"
export * from "./Schema.js"
export * from "./Scoring.js"
export * from "./ResultsOf.js"
