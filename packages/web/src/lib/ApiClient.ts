import { Api } from "@compilar/domain"
import { FetchHttpClient, HttpApiClient } from "@effect/platform"
import { Effect } from "effect"
import { config } from "./config.js"

/**
 * The typed client of the whole HttpApi, derived from the contract in `@compilar/domain`:
 * `client.<group>.<endpoint>(…)` returns an Effect whose success and error types come from
 * the endpoint's schemas. Provided once, by the app's runtime (./runtime.ts).
 */
export class ApiClient extends Effect.Service<ApiClient>()("Web/ApiClient", {
  effect: HttpApiClient.make(Api, { baseUrl: config.apiBaseUrl }),
  dependencies: [FetchHttpClient.layer]
}) {}
