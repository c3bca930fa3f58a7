import { Schema } from "effect"

/** The shapes of the PILAR framework. The facts themselves live in ./data. */

export const ModeId = Schema.Literal("egalitarian", "hierarchical").annotations({ identifier: "ModeId" })
export type ModeId = typeof ModeId.Type

export const DimensionId = Schema.Literal("prospects", "involved", "liked", "agency", "respect").annotations({
  identifier: "DimensionId"
})
export type DimensionId = typeof DimensionId.Type

export const PillarId = Schema.Literal(
  "grpprosp",
  "indrecip",
  "popularity",
  "divsexp",
  "outresp",
  "ownprosp",
  "dirrecip",
  "status",
  "normexp",
  "incresp"
).annotations({ identifier: "PillarId" })
export type PillarId = typeof PillarId.Type

/** `<pillar>.<kebab-name>`, for example `divsexp.psychological-safety`. Stable: stored answers refer to it. */
export const ForceId = Schema.String.pipe(
  Schema.pattern(/^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/),
  Schema.brand("ForceId")
).annotations({ identifier: "ForceId" })
export type ForceId = typeof ForceId.Type

/** `ECP-01`…`ECP-20` (egalitarian), `HCP-01`…`HCP-20` (hierarchical). */
export const ConnectionId = Schema.String.pipe(Schema.pattern(/^[EH]CP-\d{2}$/), Schema.brand("ConnectionId"))
  .annotations({ identifier: "ConnectionId" })
export type ConnectionId = typeof ConnectionId.Type

export const ConnectionType = Schema.Literal("reinforce", "inverse", "discretionary").annotations({
  identifier: "ConnectionType",
  description: "reinforce: the target moves with the source; inverse: against it; discretionary: depends on context"
})
export type ConnectionType = typeof ConnectionType.Type

export const Strength = Schema.Number.pipe(Schema.between(0, 1)).annotations({ identifier: "Strength" })

export class Mode extends Schema.Class<Mode>("Mode")({
  id: ModeId,
  name: Schema.String,
  summary: Schema.String,
  description: Schema.String
}) {}

export class Dimension extends Schema.Class<Dimension>("Dimension")({
  id: DimensionId,
  name: Schema.String,
  letter: Schema.String
}) {}

export class Pillar extends Schema.Class<Pillar>("Pillar")({
  id: PillarId,
  mode: ModeId,
  dimension: DimensionId,
  title: Schema.String,
  abbreviation: Schema.String,
  /** The pillar of the same dimension in the other mode. */
  counterpart: PillarId,
  /** One sentence: what the pillar measures. */
  measures: Schema.String,
  description: Schema.String,
  highLooksLike: Schema.Array(Schema.String),
  lowLooksLike: Schema.Array(Schema.String),
  reflectiveQuestions: Schema.Array(Schema.String)
}) {}

export class Force extends Schema.Class<Force>("Force")({
  id: ForceId,
  pillar: PillarId,
  name: Schema.String,
  description: Schema.String,
  /** What a strong reading of this force looks like in a group, in one sentence. */
  highSignal: Schema.String,
  /** What a weak reading looks like. */
  lowSignal: Schema.String
}) {}

export class Connection extends Schema.Class<Connection>("Connection")({
  id: ConnectionId,
  mode: ModeId,
  from: PillarId,
  to: PillarId,
  /** Discretionary connections have no name. */
  name: Schema.NullOr(Schema.String),
  type: ConnectionType,
  strength: Strength,
  description: Schema.String,
  example: Schema.String
}) {}
