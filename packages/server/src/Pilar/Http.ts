import { Api, connections, connectionsOf, forces, modes, NotFound, pillarById, pillars, pillarsOf } from "@compilar/domain"
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"

/** Served from the dataset the app ships (the database holds a seeded copy for joins). */
export const PilarHttpLive = HttpApiBuilder.group(Api, "pilar", (handlers) =>
  handlers
    .handle("modes", () => Effect.succeed(modes))
    .handle("pillars", ({ urlParams }) => Effect.succeed(urlParams.mode ? pillarsOf(urlParams.mode) : pillars))
    .handle("pillar", ({ path }) =>
      Option.match(pillarById(path.id), {
        onNone: () => Effect.fail(new NotFound({ message: `No pillar with id "${path.id}".` })),
        onSome: Effect.succeed
      }))
    .handle("forces", ({ urlParams }) =>
      Effect.succeed(
        forces.filter((force) =>
          (urlParams.pillar === undefined || force.pillar === urlParams.pillar) &&
          (urlParams.mode === undefined || pillarsOf(urlParams.mode).some((p) => p.id === force.pillar))
        )
      ))
    .handle("connections", ({ urlParams }) =>
      Effect.succeed(urlParams.mode ? connectionsOf(urlParams.mode) : connections)))
