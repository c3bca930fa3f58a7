/** The providers' real error statuses and bodies, byte for byte in shape. */
import type { ErrorName, Provider } from "./faults.js"

export interface ErrorResponse {
  readonly status: number
  readonly body: unknown
  readonly headers: Readonly<Record<string, string>>
}

const openAiBody = (message: string, type: string, code: string | null, param: string | null = null) => ({
  error: { message, type, param, code }
})

export const openAiError = (name: ErrorName, model = "gpt-4o-mini"): ErrorResponse => {
  switch (name) {
    case "unauthorized":
      return {
        status: 401,
        headers: {},
        body: openAiBody(
          "Incorrect API key provided: sk-fake***********. You can find your API key at https://platform.openai.com/account/api-keys.",
          "invalid_request_error",
          "invalid_api_key"
        )
      }
    case "rate_limited":
      return {
        status: 429,
        headers: {
          "retry-after": "1",
          "x-ratelimit-limit-requests": "500",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-reset-requests": "1s"
        },
        body: openAiBody(
          `Rate limit reached for ${model} in organization org-llmfake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          "requests",
          "rate_limit_exceeded"
        )
      }
    case "insufficient_quota":
      return {
        status: 429,
        headers: {},
        body: openAiBody(
          "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
          "insufficient_quota",
          "insufficient_quota"
        )
      }
    case "overloaded":
    case "unavailable":
      return {
        status: 503,
        headers: {},
        body: openAiBody("The engine is currently overloaded, please try again later.", "server_error", null)
      }
    case "server_error":
      return {
        status: 500,
        headers: {},
        body: openAiBody(
          "The server had an error while processing your request. Sorry about that!",
          "server_error",
          null
        )
      }
    case "bad_request":
      return {
        status: 400,
        headers: {},
        body: openAiBody("Invalid request.", "invalid_request_error", null)
      }
    case "context_length_exceeded":
      return {
        status: 400,
        headers: {},
        body: openAiBody(
          `This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.`,
          "invalid_request_error",
          "context_length_exceeded",
          "messages"
        )
      }
  }
}

const anthropicBody = (type: string, message: string, requestId: string) => ({
  type: "error",
  error: { type, message },
  request_id: requestId
})

export const anthropicError = (name: ErrorName, requestId: string): ErrorResponse => {
  switch (name) {
    case "unauthorized":
      return { status: 401, headers: {}, body: anthropicBody("authentication_error", "invalid x-api-key", requestId) }
    case "rate_limited":
    case "insufficient_quota":
      return {
        status: 429,
        headers: {
          "retry-after": "1",
          "anthropic-ratelimit-requests-limit": "50",
          "anthropic-ratelimit-requests-remaining": "0",
          "anthropic-ratelimit-requests-reset": new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, "Z")
        },
        body: anthropicBody(
          "rate_limit_error",
          name === "insufficient_quota"
            ? "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."
            : "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
          requestId
        )
      }
    case "overloaded":
      return { status: 529, headers: {}, body: anthropicBody("overloaded_error", "Overloaded", requestId) }
    case "server_error":
      return { status: 500, headers: {}, body: anthropicBody("api_error", "Internal server error", requestId) }
    case "unavailable":
      return { status: 503, headers: {}, body: anthropicBody("api_error", "Service unavailable", requestId) }
    case "bad_request":
      return { status: 400, headers: {}, body: anthropicBody("invalid_request_error", "Invalid request.", requestId) }
    case "context_length_exceeded":
      return {
        status: 400,
        headers: {},
        body: anthropicBody("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", requestId)
      }
  }
}

const byStatus: Readonly<Record<number, ErrorName>> = {
  400: "bad_request",
  401: "unauthorized",
  429: "rate_limited",
  500: "server_error",
  503: "unavailable",
  529: "overloaded"
}

/** The provider's error for a status: its named body where there is one, else a generic one. */
export const errorForStatus = (provider: Provider, status: number, requestId: string): ErrorResponse => {
  const name = byStatus[status]
  if (name !== undefined) return provider === "openai" ? openAiError(name) : anthropicError(name, requestId)
  return provider === "openai"
    ? { status, headers: {}, body: openAiBody(`Error ${status}`, status >= 500 ? "server_error" : "invalid_request_error", null) }
    : { status, headers: {}, body: anthropicBody(status >= 500 ? "api_error" : "invalid_request_error", `Error ${status}`, requestId) }
}

export const errorFor = (provider: Provider, name: ErrorName, requestId: string, model?: string): ErrorResponse =>
  provider === "openai" ? openAiError(name, model) : anthropicError(name, requestId)
