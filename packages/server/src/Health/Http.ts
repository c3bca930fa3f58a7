import { Api } from "@compilar/domain"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Health } from "../Health.js"

export const HealthHttpLive = HttpApiBuilder.group(Api, "health", (handlers) =>
  Effect.map(Health, (health) => handlers.handle("health", () => health.report())))
