import { CoachingEvent, NotFound, Results, ResultsNotReady } from "@compilar/domain"
import { SqlClient } from "@effect/sql"
import { Effect, Option, Schema } from "effect"

/** A finished coaching run: what is replayed instead of calling the model again. */
export interface Transcript {
  readonly generation: string
  /** In order; event `i` has sequence `i + 1`. */
  readonly events: ReadonlyArray<CoachingEvent>
}

const Events = Schema.parseJson(Schema.Array(CoachingEvent))
const decodeEvents = Schema.decodeUnknown(Events)
const decodeResults = Schema.decodeUnknown(Schema.parseJson(Results))
const encodeEvents = Schema.encode(Events)

export class CoachingRepo extends Effect.Service<CoachingRepo>()("Coaching/Repo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const find = (assessmentId: string) =>
      sql<{ readonly generation: string; readonly events: string }>`
        select generation, events::text as events from app.coaching_transcripts where assessment_id = ${assessmentId}
      `.pipe(
        Effect.flatMap((rows) => {
          const row = rows[0]
          if (row === undefined) return Effect.succeed(Option.none<Transcript>())
          return Effect.map(decodeEvents(row.events), (events) => Option.some<Transcript>({ generation: row.generation, events }))
        }),
        Effect.orDie,
        Effect.withSpan("CoachingRepo.find")
      )

    /** Keeps the first transcript stored for an assessment (two instances may finish a run each). */
    const store = (assessmentId: string, transcript: Transcript, provider: string) =>
      encodeEvents(transcript.events).pipe(
        Effect.flatMap((events) =>
          sql`
            insert into app.coaching_transcripts (assessment_id, generation, events, provider)
            values (${assessmentId}, ${transcript.generation}, ${events}::jsonb, ${provider})
            on conflict (assessment_id) do nothing
          `
        ),
        Effect.asVoid,
        Effect.withSpan("CoachingRepo.store")
      )

    /** The results of the learner's own completed assessment (anyone else's is not found). */
    const resultsOf = Effect.fn("CoachingRepo.resultsOf")(function*(userId: string, assessmentId: string) {
      const rows = yield* Effect.orDie(sql<{ readonly document: string | null }>`
        select r.document::text as document
        from app.assessments a left join app.results r on r.assessment_id = a.id
        where a.id = ${assessmentId} and a.user_id = ${userId}
      `)
      const row = rows[0]
      if (row === undefined) return yield* new NotFound({ message: "No such assessment." })
      if (row.document === null) {
        return yield* new ResultsNotReady({
          message: "Coaching comes once the assessment is completed: answer every question, then complete it."
        })
      }
      return yield* Effect.orDie(decodeResults(row.document))
    })

    return { find, store, resultsOf } as const
  })
}) {}
