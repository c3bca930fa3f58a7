/**
 * OpenAI- and Anthropic-compatible fake servers with scripted faults live here.
 * They arrive with the LLM gateway issue; the package exists now so the workspace
 * layout, typecheck and test projects are stable from the start.
 */
export {}
