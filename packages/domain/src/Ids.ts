import { Schema } from "effect"

/** Branded ids: a UserId can never be passed where an AssessmentId is expected. */
export const UserId = Schema.UUID.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

export const AssessmentId = Schema.UUID.pipe(Schema.brand("AssessmentId"))
export type AssessmentId = typeof AssessmentId.Type

export const QuestionId = Schema.String.pipe(Schema.pattern(/^q\d{2}$/), Schema.brand("QuestionId"))
export type QuestionId = typeof QuestionId.Type

export const ChunkId = Schema.String.pipe(Schema.pattern(/^[a-z0-9][a-z0-9.:-]*$/), Schema.brand("ChunkId"))
export type ChunkId = typeof ChunkId.Type
