import {
  MalformedJson,
  ragPrefix,
  RateLimited,
  SearchQuery,
  type SearchResults,
  searchEndpoint,
  type ValidationFailed
} from "@compilar/domain"
import { Effect, Either, Schema } from "effect"
import type { IncomingHttpHeaders } from "node:http"
import { ClientAddress } from "../Http/ClientAddress.js"
import { fromPatternEndpoint, invalidRequest, jsonBody } from "../Http/FastRoute.js"
import { RateLimitConfig, RateLimiter, rateLimitHeaders, WINDOW_MS } from "../RateLimit.js"
import { generalAddressKey, tryLater } from "../RateLimit/Middleware.js"
import { KnowledgeSearch } from "./Search.js"

const decodePayload = Schema.decodeUnknownEither(SearchQuery)

/** X-Forwarded-For as the platform reads it (`Headers.fromInput`: repeated values joined). */
const forwardedFor = (headers: IncomingHttpHeaders): string | undefined => {
  const value = headers["x-forwarded-for"]
  return Array.isArray(value) ? value.join(", ") : value
}

/**
 * `POST /api/v1/rag/query` answered by node:http directly (see Http/NodeServer.ts): the
 * platform's request path cost as much server CPU as the search itself (README, Performance).
 * It does what the platform route does, in the same order: the rag group's only middleware,
 * the general rate limit, which per client address (the group does not authenticate, so a
 * bearer token changes nothing), with its headers; then the body (`malformed_json`) and the
 * payload decoded with the contract's `SearchQuery` (`validation_failed` naming each field);
 * then the same search, whose failures are defects there too (500 `internal_error`). Bodies
 * HttpApi would not parse as JSON never get here (NodeServer.ts). A test compares every outcome
 * with the platform route.
 */
export const searchFastRoute = Effect.gen(function*() {
  const limiter = yield* RateLimiter
  const { generalPerMinute } = yield* RateLimitConfig
  const addresses = yield* ClientAddress
  const knowledge = yield* KnowledgeSearch
  return fromPatternEndpoint(searchEndpoint.prefix(ragPrefix), { body: true }, (request, response) => {
    const key = generalAddressKey(addresses.ofPeer(request.remoteAddress, forwardedFor(request.headers)))
    return Effect.flatMap(limiter.consume(key, generalPerMinute, WINDOW_MS), (decision): Effect.Effect<
      SearchResults,
      RateLimited | MalformedJson | ValidationFailed
    > => {
      const headers = rateLimitHeaders(decision)
      response.add(headers)
      if (!decision.allowed) return Effect.fail(new RateLimited({ message: tryLater(headers["retry-after"]!) }))
      const body = jsonBody(request)
      if (Either.isLeft(body)) return Effect.fail(body.left)
      const payload = decodePayload(body.right)
      if (Either.isLeft(payload)) return Effect.fail(invalidRequest(payload.left))
      return Effect.orDie(knowledge.search(payload.right))
    })
  })
})
