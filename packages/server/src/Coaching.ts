import {
  chunkById,
  type CoachingEvent,
  CoachingSource,
  connectionChunkId,
  eventId,
  forceChunkId,
  isTerminal,
  parseEventId,
  pillarChunkId,
  pillarGuidanceChunkId,
  type Results
} from "@compilar/domain"
import { Config, Context, Duration, Effect, Layer, Option, Stream } from "effect"
import { randomBytes } from "node:crypto"
import { citedSources, coachingRequest, nameOf, type Passage } from "./Coaching/Prompt.js"
import { type LiveRun, makeLiveRuns } from "./Coaching/Live.js"
import { CoachingRepo, type Transcript } from "./Coaching/Repo.js"
import { frame, retryFrame, withHeartbeats } from "./Coaching/Sse.js"
import { retryAfterSeconds } from "./Http/RetryAfter.js"
import { KnowledgeSearch } from "./Knowledge/Search.js"
import { Llm } from "./Llm.js"
import { errorType, type LlmError } from "./Llm/Errors.js"

export interface CoachingConfigShape {
  /** How long a run goes on after its last follower left, waiting for a reconnect. */
  readonly grace: Duration.Duration
  readonly heartbeat: Duration.Duration
  /** The reconnection delay suggested to browsers (`retry:`). */
  readonly retry: Duration.Duration
}

const millis = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "Expected a whole number of milliseconds ≥ 0", validation: (n) => n >= 0 }),
    Config.withDefault(fallback),
    Config.map(Duration.millis)
  )

export class CoachingConfig extends Context.Tag("Coaching/Config")<CoachingConfig, CoachingConfigShape>() {
  /** `COACHING_GRACE_MS` (3000), `COACHING_HEARTBEAT_MS` (15000), `COACHING_RETRY_MS` (2000). */
  static readonly Live = Layer.effect(
    CoachingConfig,
    Config.all({
      grace: millis("COACHING_GRACE_MS", 3000),
      heartbeat: millis("COACHING_HEARTBEAT_MS", 15_000),
      retry: millis("COACHING_RETRY_MS", 2000)
    })
  )
  static readonly layer = (config: CoachingConfigShape) => Layer.succeed(CoachingConfig, config)
}

/** How many passages a coaching text may cite. */
const maxSources = 8

const brokenRun: CoachingEvent = {
  _tag: "error",
  code: "internal_error",
  message: "The coaching stopped unexpectedly. Ask again.",
  retryable: true
}

/**
 * The run's `error` event. With every provider's breaker open it says how soon asking again may
 * help: the wait until the first breaker lets a call through (what the quiz route sends as
 * `Retry-After`).
 */
const errorEvent = (error: LlmError): CoachingEvent => {
  if (error._tag === "LlmUnavailable") {
    const seconds = retryAfterSeconds(error.retryAfterMs)
    return {
      _tag: "error",
      code: errorType(error),
      message: `Coaching is unavailable right now: every AI provider is failing. Try again in ${seconds} seconds.`,
      retryable: true,
      retryAfterSeconds: seconds
    }
  }
  return {
    _tag: "error",
    code: errorType(error),
    message: "The coaching could not be written this time. Try again.",
    retryable: error._tag !== "LlmBadRequest" && error._tag !== "LlmContextTooLong"
  }
}

/** Short, url-safe, lower-case: fits `parseEventId`. */
const newGeneration = () => randomBytes(6).toString("hex")

/**
 * Coaching for completed assessments, streamed as Server-Sent Events. One run per assessment
 * at a time, shared by everyone following it (see `Coaching/Live.ts`); a finished run is stored
 * and replayed, never regenerated. A failed run is not stored: asking again starts a new one.
 */
export class Coaching extends Effect.Service<Coaching>()("Coaching", {
  scoped: Effect.gen(function*() {
    const llm = yield* Llm
    const search = yield* KnowledgeSearch
    const repo = yield* CoachingRepo
    const config = yield* CoachingConfig
    const runs = yield* makeLiveRuns<CoachingEvent>({ grace: config.grace, isLast: isTerminal, broken: brokenRun })

    /**
     * The passages to ground the text in: the knowledge base's passages on this pillar, its
     * weakest and strongest forces, how to raise and sustain it and its strongest connection
     * (by id), then what search finds for the growth areas and strengths, in this mode. A
     * failing search leaves the fixed passages only.
     */
    const sourcesFor = (results: Results) => {
      const growth = results.growthAreas[0]
      const strength = results.strengths[0]
      const effect = results.effects[0]
      const fixed = [
        pillarChunkId(results.pillar, "definition"),
        ...(growth ? [forceChunkId(growth.force)] : []),
        pillarGuidanceChunkId(results.pillar, "raise"),
        ...(strength ? [forceChunkId(strength.force)] : []),
        pillarGuidanceChunkId(results.pillar, "sustain"),
        ...(effect ? [connectionChunkId(effect.connection)] : [])
      ].flatMap((id) => Option.toArray(chunkById(id)))
      const focus = [...results.growthAreas, ...results.strengths].map((f) => nameOf(f.force))
      return search.search({
        query: `how to strengthen ${focus.join(", ")}`,
        pillar: results.pillar,
        mode: results.mode,
        limit: maxSources
      }).pipe(
        Effect.map((found): ReadonlyArray<Passage> => found.results),
        Effect.tapErrorCause((cause) => Effect.logWarning("Coaching: knowledge search failed", cause)),
        Effect.orElseSucceed((): ReadonlyArray<Passage> => []),
        Effect.map((found) => {
          const passages: Array<Passage> = [...fixed]
          for (const hit of found) if (!passages.some((p) => p.id === hit.id)) passages.push(hit)
          return passages.slice(0, maxSources)
        })
      )
    }

    /** One run: sources, the model's deltas, then `done` once stored (or `error`). */
    const run = (assessmentId: string, results: Results) => (generation: string): Stream.Stream<CoachingEvent> =>
      Stream.unwrap(Effect.gen(function*() {
        const passages = yield* sourcesFor(results)
        const sources = passages.map((hit, i) =>
          new CoachingSource({ n: i + 1, chunkId: hit.id, title: hit.title, pillar: hit.pillar, mode: hit.mode, category: hit.category })
        )
        const written: Array<CoachingEvent> = [{ _tag: "sources", sources }]
        let text = ""
        let provider = "unknown"
        const finish = Effect.suspend(() => {
          const done: CoachingEvent = {
            _tag: "done",
            citations: citedSources(text, sources).map((s) => s.chunkId),
            provider
          }
          const transcript: Transcript = { generation, events: [...written, done] }
          return repo.store(assessmentId, transcript, provider).pipe(
            Effect.as(done),
            Effect.catchAllCause((cause) =>
              Effect.as(Effect.logError("Coaching: the transcript could not be stored", cause), brokenRun)
            )
          )
        })
        const deltas = llm.stream(coachingRequest(results, passages)).pipe(
          Stream.filterMap((event): Option.Option<CoachingEvent> => {
            provider = event.provider
            if (event._tag !== "Delta" || event.text === "") return Option.none()
            text += event.text
            return Option.some({ _tag: "delta", text: event.text })
          }),
          Stream.tap((event) => Effect.sync(() => written.push(event))),
          Stream.concat(Stream.fromEffect(finish)),
          Stream.catchAll((error) => Stream.make(errorEvent(error)))
        )
        return Stream.concat(Stream.make(written[0]!), deltas)
      })).pipe(Stream.withSpan("Coaching.run", { attributes: { "assessment.id": assessmentId } }))

    const numbered = (generation: string, events: Stream.Stream<CoachingEvent>, after: number) =>
      events.pipe(
        Stream.zipWithIndex,
        Stream.filter(([, index]) => index + 1 > after),
        Stream.map(([event, index]) => frame(eventId(generation, index + 1), event))
      )

    /**
     * The frames a learner receives for their own completed assessment, resuming after
     * `lastEventId` when it names the run being served; otherwise `restart` (if the client had
     * a run) and the whole run. Someone else's assessment is not found.
     */
    const follow = (userId: string, assessmentId: string, lastEventId: string | undefined) =>
      Effect.gen(function*() {
        const results = yield* repo.resultsOf(userId, assessmentId)
        const resume = parseEventId(lastEventId)
        const stored = yield* repo.find(assessmentId)
        const served: Pick<LiveRun<CoachingEvent>, "generation" | "events"> = Option.isSome(stored)
          ? { generation: stored.value.generation, events: Stream.fromIterable(stored.value.events) }
          : yield* runs.join(assessmentId, newGeneration, run(assessmentId, results))
        const sameRun = resume !== undefined && resume.generation === served.generation
        const restart: ReadonlyArray<string> = resume !== undefined && !sameRun
          ? [frame(undefined, { _tag: "restart", reason: "The coaching you were reading was interrupted; here it is again from the start." })]
          : []
        const frames = Stream.concat(
          Stream.fromIterable([retryFrame(Duration.toMillis(config.retry)), ...restart]),
          numbered(served.generation, served.events, sameRun ? resume.sequence : 0)
        )
        return withHeartbeats(frames, config.heartbeat)
      })

    return { follow, inProgress: runs.inProgress } as const
  }),
  dependencies: [CoachingRepo.Default]
}) {}
