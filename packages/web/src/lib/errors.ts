/**
 * Turns whatever an API call failed with into words for a learner. Domain errors carry their
 * own message (and a request id support can search for); transport and decoding failures get a
 * plain explanation instead of a stack trace.
 */

export interface ErrorView {
  readonly title: string
  readonly message: string
  /** True when trying again later may help (network, 429, 503). */
  readonly retryable: boolean
  readonly requestId?: string | undefined
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const tagOf = (u: unknown): string | undefined => (isRecord(u) && typeof u["_tag"] === "string" ? u["_tag"] : undefined)

const stringField = (u: unknown, key: string): string | undefined =>
  isRecord(u) && typeof u[key] === "string" ? (u[key] as string) : undefined

const domainTitles: Record<string, { title: string; retryable: boolean }> = {
  ValidationFailed: { title: "Please check your input", retryable: false },
  MalformedJson: { title: "The request was garbled", retryable: false },
  Unauthorized: { title: "Please sign in", retryable: false },
  InvalidCredentials: { title: "Couldn't sign you in", retryable: false },
  TokenExpired: { title: "Your session has ended", retryable: false },
  RefreshReused: { title: "Signed out for your safety", retryable: false },
  EmailTaken: { title: "That email already has an account", retryable: false },
  Forbidden: { title: "Not allowed", retryable: false },
  NotFound: { title: "Not found", retryable: false },
  RouteNotFound: { title: "Not available", retryable: false },
  Conflict: { title: "Something changed meanwhile", retryable: true },
  PayloadTooLarge: { title: "Too much at once", retryable: false },
  UnsupportedMediaType: { title: "Unsupported request", retryable: false },
  RateLimited: { title: "Slow down a little", retryable: true },
  InternalError: { title: "Something went wrong on our side", retryable: true },
  ServiceUnavailable: { title: "Temporarily unavailable", retryable: true },
  // The learner journey (assessments, quiz, answers, results).
  UnknownQuestion: { title: "No such statement", retryable: false },
  QuestionsNotReady: { title: "The quiz is not ready yet", retryable: true },
  AssessmentCompleted: { title: "Already completed", retryable: false },
  AnswersIncomplete: { title: "Some answers are missing", retryable: false },
  ResultsNotReady: { title: "No results yet", retryable: false },
  IdempotencyKeyReused: { title: "That answer was already sent", retryable: false }
}

export const describeError = (error: unknown): ErrorView => {
  const tag = tagOf(error)
  const known = tag === undefined ? undefined : domainTitles[tag]
  if (known) {
    return {
      title: known.title,
      message: stringField(error, "message") ?? known.title,
      retryable: known.retryable,
      requestId: stringField(error, "requestId")
    }
  }
  switch (tag) {
    case "RequestError":
      return {
        title: "Can't reach Compilar",
        message: "The server could not be reached. Check your connection and try again.",
        retryable: true
      }
    case "ResponseError":
    case "ParseError":
      return {
        title: "Unexpected answer",
        message: "The server answered in a way this version of the app does not understand. Reload the page.",
        retryable: true
      }
    default:
      return {
        title: "Something went wrong",
        message: error instanceof Error && error.message ? error.message : "An unexpected error occurred.",
        retryable: true
      }
  }
}
