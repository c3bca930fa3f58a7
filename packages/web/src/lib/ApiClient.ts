import { Api } from "@compilar/domain"
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect } from "effect"
import { config } from "./config.js"
import { accessToken } from "./session/state.js"

/** Adds the signed-in learner's access token, read when each request is sent (it rotates). */
const withAccessToken = (request: HttpClientRequest.HttpClientRequest) => {
  const token = accessToken()
  return token === undefined ? request : HttpClientRequest.bearerToken(request, token)
}

/**
 * The typed client of the whole HttpApi, derived from the contract in `@compilar/domain`:
 * `client.<group>.<endpoint>(…)` returns an Effect whose success and error types come from
 * the endpoint's schemas. Provided once, by the app's runtime (./runtime.ts). Requests carry
 * the access token when there is one; fetch's default `credentials: "same-origin"` sends the
 * refresh cookie to `/api/v1/auth` (and nowhere else: the cookie's path says so).
 */
export class ApiClient extends Effect.Service<ApiClient>()("Web/ApiClient", {
  effect: HttpApiClient.make(Api, { baseUrl: config.apiBaseUrl, transformClient: HttpClient.mapRequest(withAccessToken) }),
  dependencies: [FetchHttpClient.layer]
}) {}
