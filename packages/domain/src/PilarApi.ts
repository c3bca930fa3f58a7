import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { Wire } from "./Errors.js"
import { Connection, Force, Mode, ModeId, Pillar, PillarId } from "./pilar/Schema.js"

/** Read-only access to the PILAR framework: the same dataset the app ships, as JSON. */
export class PilarApi extends HttpApiGroup.make("pilar")
  .add(
    HttpApiEndpoint.get("modes", "/modes")
      .addSuccess(Schema.Array(Mode))
      .annotate(OpenApi.Description, "The two modes of coordination.")
  )
  .add(
    HttpApiEndpoint.get("pillars", "/pillars")
      .setUrlParams(Schema.Struct({ mode: Schema.optional(ModeId) }))
      .addSuccess(Schema.Array(Pillar))
      .annotate(OpenApi.Description, "The ten pillars, or the five of one mode.")
  )
  .add(
    HttpApiEndpoint.get("pillar")`/pillars/${HttpApiSchema.param("id", Schema.String)}`
      .addSuccess(Pillar)
      .addError(Wire.NotFound)
      .annotate(OpenApi.Description, "One pillar by id; 404 for an unknown id.")
  )
  .add(
    HttpApiEndpoint.get("forces", "/forces")
      .setUrlParams(Schema.Struct({ pillar: Schema.optional(PillarId), mode: Schema.optional(ModeId) }))
      .addSuccess(Schema.Array(Force))
      .annotate(OpenApi.Description, "The forty forces, filtered by pillar and/or mode.")
  )
  .add(
    HttpApiEndpoint.get("connections", "/connections")
      .setUrlParams(Schema.Struct({ mode: Schema.optional(ModeId) }))
      .addSuccess(Schema.Array(Connection))
      .annotate(OpenApi.Description, "The forty directed connections, or the twenty of one mode.")
  )
  .prefix("/api/v1/pilar")
  .annotate(OpenApi.Title, "PILAR framework")
{}
