import { Deferred, Effect, Exit, Layer, PubSub, Schema, Stream } from "effect"
import { randomUUID } from "node:crypto"
import { Redis } from "../Redis.js"
import { type RemoteRevocation, type Revocation, RevocationBus } from "./Revocations.js"

const RevocationMessage = Schema.parseJson(Schema.Struct({
  /** The instance that published it, so that it can ignore its own. */
  from: Schema.String,
  revocation: Schema.Union(
    Schema.TaggedStruct("Session", { sessionId: Schema.String }),
    Schema.TaggedStruct("User", { userId: Schema.String }),
    Schema.TaggedStruct("All", {})
  )
}))

const encode = Schema.encodeSync(RevocationMessage)
const decode = Schema.decodeUnknownOption(RevocationMessage)

/** Revocations kept while Redis is away, at most; more become one `All`. */
export const maxUnpublished = 1_000

/**
 * Revocations between instances over Redis pub/sub, on the channel `<prefix>auth:revocations`.
 * Each message carries this instance's id so that `remote` skips its own. Subscribing needs
 * a connection of its own (one in subscriber mode runs nothing else), subscribed again after
 * every reconnection.
 *
 * Delivery is at most once: a revocation published while another instance is disconnected from
 * Redis is lost for that instance. So a subscription made after start-up (a reconnection, or the
 * first one when Redis was away at start) is announced on `remote` as `Missed`, and the token
 * cache forgets everything it verified: its next requests verify again against the database,
 * where logout is recorded.
 *
 * The other way round, a revocation this instance could not publish (its own connection to Redis
 * was down; the instances still connected would never hear of it and never miss anything) is
 * kept and published when the connection is back, oldest first. Past `maxUnpublished` they
 * collapse into one `All`: everyone forgets everything, which is always safe.
 */
export const RedisRevocationsLive = Layer.scoped(
  RevocationBus,
  Effect.gen(function*() {
    const redis = yield* Redis
    const channel = `${redis.keyPrefix}auth:revocations`
    const self = randomUUID()
    const hub = yield* Effect.acquireRelease(PubSub.unbounded<RemoteRevocation>(), PubSub.shutdown)
    const subscriber = yield* redis.subscriber
    subscriber.on("message", (from: string, text: string) => {
      if (from !== channel) return
      const message = decode(text)
      if (message._tag === "Some" && message.value.from !== self) hub.unsafeOffer(message.value.revocation)
    })
    // On every (re)connection (the connection does not resubscribe by itself); a failure while
    // connected is retried a second later, one while disconnected waits for the next `ready`.
    const subscribed = yield* Deferred.make<void>()
    // Until start-up is over nothing was served, so nothing can have been missed.
    let startedUp = false
    const subscribe = (): void => {
      subscriber.subscribe(channel).then(
        () => {
          Deferred.unsafeDone(subscribed, Exit.void)
          if (startedUp) hub.unsafeOffer({ _tag: "Missed" })
        },
        () => {
          if (subscriber.status === "ready") setTimeout(subscribe, 1_000).unref()
        }
      )
    }
    subscriber.on("ready", subscribe)
    if (subscriber.status === "ready") subscribe()
    // Start-up waits a little for the subscription, so that an instance that reports ready
    // hears the others; without Redis it goes on and subscribes once Redis answers.
    yield* Deferred.await(subscribed).pipe(
      Effect.timeout(2_000),
      Effect.catchAll(() =>
        Effect.logWarning(`Revocations: Redis at ${redis.location} is unreachable; subscribing when it answers`)
      )
    )
    startedUp = true

    const send = (revocation: Revocation) => redis.client.publish(channel, encode({ from: self, revocation }))
    /** Not published yet, oldest first; while it is not empty, new revocations queue behind it. */
    let unpublished: Array<Revocation> = []
    const keep = (revocation: Revocation) => {
      unpublished = unpublished.length >= maxUnpublished || revocation._tag === "All"
        ? [{ _tag: "All" }]
        : [...unpublished, revocation]
    }
    let flushing = false
    const flush = async () => {
      if (flushing) return
      flushing = true
      try {
        while (unpublished.length > 0 && redis.client.status === "ready") {
          const next = unpublished[0]!
          await send(next)
          // Unless `keep` collapsed the list into a new `All` meanwhile, which is still to go.
          if (unpublished[0] === next) unpublished = unpublished.slice(1)
        }
      } catch {
        // Down again: the rest waits for the next `ready`.
      } finally {
        flushing = false
      }
    }
    const onReady = () => void flush()
    redis.client.on("ready", onReady)
    yield* Effect.addFinalizer(() => Effect.sync(() => redis.client.off("ready", onReady)))

    return {
      publish: (revocation) =>
        Effect.suspend(() => {
          if (unpublished.length > 0) {
            keep(revocation)
            return Effect.promise(flush)
          }
          return Effect.tryPromise(() => send(revocation)).pipe(
            Effect.asVoid,
            Effect.catchAll((error) => {
              keep(revocation)
              return Effect.logWarning(
                `Revocations: not published to other instances yet (Redis at ${redis.location} unreachable); ` +
                  "publishing when it is back",
                error.cause
              ).pipe(Effect.annotateLogs("revocation", revocation._tag))
            })
          )
        }),
      remote: Stream.fromPubSub(hub)
    }
  })
)
