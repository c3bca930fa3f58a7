import { Context, Layer, PubSub, Effect, Stream } from "effect"

/**
 * What another instance revoked, so that this instance's verified-token cache forgets it:
 * one session (logout, refresh reuse), every session of a user, or everything (an operator
 * invalidating the cache).
 */
export type Revocation =
  | { readonly _tag: "Session"; readonly sessionId: string }
  | { readonly _tag: "User"; readonly userId: string }
  | { readonly _tag: "All" }

/**
 * What `remote` yields: another instance's revocation, or `Missed`: this instance was cut off
 * from the others (its subscription lost and now back), and whatever they revoked meanwhile
 * never reached it.
 */
export type RemoteRevocation = Revocation | { readonly _tag: "Missed" }

/**
 * Carries revocations between instances. `publish` tells the others; `remote` yields what the
 * others published (never this instance's own messages: the publisher evicts locally first,
 * synchronously, so a request right after a logout on the same instance is already refused).
 * The memory bus serves one instance; the Redis bus (pub/sub) serves several.
 */
export class RevocationBus extends Context.Tag("Auth/RevocationBus")<RevocationBus, {
  readonly publish: (revocation: Revocation) => Effect.Effect<void>
  readonly remote: Stream.Stream<RemoteRevocation>
}>() {
  /** One instance: nobody else to tell. */
  static readonly local = Layer.succeed(RevocationBus, { publish: () => Effect.void, remote: Stream.never })

  /**
   * Several "instances" in one process, for tests: every bus made from the same hub sees the
   * others' revocations, never its own.
   */
  static readonly sharedHub = Effect.map(
    PubSub.unbounded<{ readonly from: symbol; readonly revocation: Revocation }>(),
    (hub) =>
      Layer.sync(RevocationBus, () => {
        const self = Symbol("instance")
        return {
          publish: (revocation) => Effect.asVoid(PubSub.publish(hub, { from: self, revocation })),
          remote: Stream.fromPubSub(hub).pipe(
            Stream.filter((message) => message.from !== self),
            Stream.map((message) => message.revocation)
          )
        }
      })
  )
}
