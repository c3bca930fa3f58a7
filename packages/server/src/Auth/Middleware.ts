import { Authentication } from "@compilar/domain"
import { Effect, Layer, Redacted } from "effect"
import { Accounts } from "../Auth.js"

/** `Authorization: Bearer <access token>` → `CurrentUser`, for every endpoint marked `.middleware(Authentication)`. */
export const AuthenticationLive = Layer.effect(
  Authentication,
  Effect.map(Accounts, (accounts) =>
    Authentication.of({
      bearer: (token) => accounts.authenticate(Redacted.value(token))
    }))
)
