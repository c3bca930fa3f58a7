import type { SearchResults } from "@compilar/domain"
import { query } from "@solidjs/router"
import { Either } from "effect"
import { describeError, type ErrorView } from "../../lib/errors.js"
import { callApi } from "../../lib/runtime.js"
import { toastError } from "../../lib/toast.js"
import type { KnowledgeSearch } from "./search.js"
import { type FieldError, serverFieldErrors, validateSearch } from "./validation.js"

/**
 * The knowledge page's data: `POST /api/v1/rag/query` through the typed client, keyed by the
 * search (so Back and a repeated search answer from the router's cache). Failures are data:
 *
 * - `invalid`: fields that are wrong, shown next to the field they name. The contract's schema
 *   checks the payload first (same messages as the server); a server `validation_failed` with
 *   `details` lands here too.
 * - `failed`: anything else, in words for people; also toasted.
 */
export type SearchOutcome =
  | { readonly _tag: "ok"; readonly results: SearchResults }
  | { readonly _tag: "invalid"; readonly message: string; readonly fields: ReadonlyArray<FieldError> }
  | { readonly _tag: "failed"; readonly error: ErrorView }

export type { FieldError }

export const searchKnowledge = query(async (search: KnowledgeSearch): Promise<SearchOutcome> => {
  const payload = validateSearch(search)
  if (Either.isLeft(payload)) return { _tag: "invalid", message: "Please check your search.", fields: payload.left }
  const result = await callApi((api) => api.rag.query({ payload: payload.right }))
  if (Either.isRight(result)) return { _tag: "ok", results: result.right }
  const fields = serverFieldErrors(result.left)
  if (fields && fields.length > 0) return { _tag: "invalid", message: describeError(result.left).message, fields }
  toastError(result.left, "knowledge-search")
  return { _tag: "failed", error: describeError(result.left) }
}, "knowledgeSearch")
