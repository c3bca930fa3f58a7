/** OpenAI- and Anthropic-compatible fake servers with scripted faults and a request journal. */
export { faultHeader, type LlmFake, start, type StartOptions } from "./server.js"
export type { Settings } from "./engine.js"
export {
  type ActiveRule,
  type Endpoint,
  type ErrorName,
  errorNames,
  type Fault,
  type FaultMatch,
  type FaultRule,
  FaultScript,
  type Provider
} from "./faults.js"
export { Journal, type JournalEntry, type JournalFilter, type Outcome } from "./journal.js"
export { valueFor } from "./structured.js"
export { defaultReply, embed, tokenize } from "./content.js"
