import { SearchQuery } from "@compilar/domain"
import { Either, ParseResult, Schema } from "effect"
import { type KnowledgeSearch, toPayload } from "./search.js"

/** One wrong field of a search request: the payload path ("query", "pillar", …) and why. */
export interface FieldError {
  readonly path: string
  readonly message: string
}

/** Field errors from schema issues, one per path (the first message wins). */
export const fieldErrors = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
): ReadonlyArray<FieldError> => {
  const seen = new Map<string, string>()
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    if (!seen.has(path)) seen.set(path, issue.message)
  }
  return [...seen].map(([path, message]) => ({ path, message }))
}

const decode = Schema.decodeUnknownEither(SearchQuery)

/**
 * Checks a search against the contract's own payload schema, the one the server decodes with, so
 * the messages are the server's ("At most 2,000 characters"). The typed client would refuse an
 * invalid payload anyway, before sending it.
 */
export const validateSearch = (search: KnowledgeSearch): Either.Either<typeof SearchQuery.Type, ReadonlyArray<FieldError>> =>
  Either.mapLeft(decode(toPayload(search)), (error) => fieldErrors(ParseResult.ArrayFormatter.formatErrorSync(error)))

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/** The `details` of a server `validation_failed` answer, when the error is one. */
export const serverFieldErrors = (error: unknown): ReadonlyArray<FieldError> | undefined => {
  if (!isRecord(error) || error["_tag"] !== "ValidationFailed" || !Array.isArray(error["details"])) return undefined
  return (error["details"] as ReadonlyArray<unknown>).flatMap((d) =>
    isRecord(d) && typeof d["path"] === "string" && typeof d["message"] === "string"
      ? [{ path: d["path"], message: d["message"] }]
      : []
  )
}
