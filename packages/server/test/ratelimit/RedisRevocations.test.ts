import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Logger, LogLevel, Queue, Stream } from "effect"
import { maxUnpublished, RedisRevocationsLive } from "../../src/Auth/RedisRevocations.js"
import { type RemoteRevocation, type Revocation, RevocationBus } from "../../src/Auth/Revocations.js"
import { Redis, type RedisSettings } from "../../src/Redis.js"
import { tcpProxy } from "../support/TcpProxy.js"
import { freshRedis, inspector, redisTarget, redisUrl, throughProxy } from "../support/TestRedis.js"

/** One instance's bus (its own connections, its own id), and what it has heard so far. */
const instance = (settings: RedisSettings) =>
  Effect.gen(function*() {
    const bus = Context.get(
      yield* Layer.build(RedisRevocationsLive.pipe(Layer.provide(Redis.layer(settings)))),
      RevocationBus
    )
    const heard = yield* Queue.unbounded<RemoteRevocation>()
    yield* Stream.runForEach(bus.remote, (r) => Queue.offer(heard, r)).pipe(Effect.forkScoped)
    // Let the stream subscribe to the instance's hub before anything is published.
    yield* Effect.sleep("20 millis")
    return { bus, heard }
  }).pipe(Logger.withMinimumLogLevel(LogLevel.Warning))

const waitMs = (ms: number) => Effect.sleep(`${ms} millis`)

/**
 * Publishes with `send` every 200 ms until `listener` has heard each of `wanted` (for at most
 * 5 s); returns everything it heard meanwhile, in order.
 */
const heardUntil = (
  listener: { readonly heard: Queue.Queue<RemoteRevocation> },
  send: Effect.Effect<void>,
  wanted: ReadonlyArray<RemoteRevocation>
) =>
  Effect.gen(function*() {
    const heard: Array<RemoteRevocation> = []
    const has = (r: RemoteRevocation) => heard.some((h) => JSON.stringify(h) === JSON.stringify(r))
    const deadline = Date.now() + 5_000
    while (!wanted.every(has) && Date.now() < deadline) {
      yield* send
      const next = yield* Queue.takeBetween(listener.heard, 1, 100).pipe(Effect.timeout("200 millis"), Effect.option)
      if (next._tag === "Some") heard.push(...Chunk.toArray(next.value))
    }
    return heard
  })

describe.runIf(redisUrl !== undefined)("revocation bus over Redis pub/sub", () => {
  it.live("delivers each instance's revocations to the others, never back to the publisher", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const a = yield* instance(settings)
      const b = yield* instance(settings)
      const c = yield* instance(settings)
      const sent: Array<Revocation> = [
        { _tag: "Session", sessionId: "s-1" },
        { _tag: "User", userId: "u-1" },
        { _tag: "All" }
      ]
      for (const revocation of sent) yield* a.bus.publish(revocation)
      // Exactly what was sent: subscribing at start-up is not announced as `Missed` (nothing was served before).
      const atB = yield* Queue.takeBetween(b.heard, 3, 3).pipe(Effect.timeout("3 seconds"))
      const atC = yield* Queue.takeBetween(c.heard, 3, 3).pipe(Effect.timeout("3 seconds"))
      expect(Chunk.toArray(atB)).toEqual(sent)
      expect(Chunk.toArray(atC)).toEqual(sent)
      yield* b.bus.publish({ _tag: "Session", sessionId: "s-2" })
      expect(yield* Queue.take(a.heard).pipe(Effect.timeout("3 seconds"))).toEqual({ _tag: "Session", sessionId: "s-2" })
      yield* waitMs(100)
      // A heard only B's message; B none of its own.
      expect(yield* Queue.size(a.heard)).toBe(0)
      expect(yield* Queue.size(b.heard)).toBe(0)
    })))

  it.live("ignores what is not one of its messages, and stays on its own prefix's channel", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const other = yield* instance(yield* freshRedis())
      const b = yield* instance(settings)
      const client = yield* inspector
      const channel = `${settings.keyPrefix}auth:revocations`
      yield* Effect.promise(() => client.publish(channel, "not json"))
      yield* Effect.promise(() => client.publish(channel, JSON.stringify({ from: "x", revocation: { _tag: "Nope" } })))
      yield* Effect.promise(() =>
        client.publish(channel, JSON.stringify({ from: "x", revocation: { _tag: "User", userId: "u-9" } }))
      )
      expect(yield* Queue.take(b.heard).pipe(Effect.timeout("3 seconds"))).toEqual({ _tag: "User", userId: "u-9" })
      yield* waitMs(100)
      expect(yield* Queue.size(other.heard)).toBe(0)
    })))

  it.live("subscribes again after losing Redis, says once that it may have missed revocations; what it revoked meanwhile is published when it is back", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const proxy = yield* tcpProxy(redisTarget())
      const a = yield* instance(settings)
      const b = yield* instance(throughProxy(settings, proxy.port))

      yield* a.bus.publish({ _tag: "Session", sessionId: "before" })
      expect(yield* Queue.take(b.heard).pipe(Effect.timeout("3 seconds"))).toEqual({ _tag: "Session", sessionId: "before" })

      yield* proxy.down
      // B cannot reach Redis: its publish is logged and kept, never a failure.
      const kept: Revocation = { _tag: "User", userId: "kept" }
      yield* b.bus.publish(kept).pipe(Logger.withMinimumLogLevel(LogLevel.None))
      yield* waitMs(100)
      expect(yield* Queue.size(a.heard)).toBe(0)
      // Nor does A's reach B.
      yield* a.bus.publish({ _tag: "Session", sessionId: "missed" })
      yield* waitMs(100)
      yield* proxy.up

      // Once B is back on Redis (reconnection is retried within a second) it says, once, that it may
      // have missed revocations, and A's revocations reach it again; the lost one never does.
      const after: Revocation = { _tag: "Session", sessionId: "after" }
      const heard = yield* heardUntil(b, a.bus.publish(after), [after, { _tag: "Missed" }])
      expect(heard.filter((r) => r._tag === "Missed")).toHaveLength(1)
      expect(heard).toContainEqual(after)
      expect(heard).not.toContainEqual({ _tag: "Session", sessionId: "missed" })
      // And what B revoked while away reached A once B was back: exactly once.
      yield* waitMs(100)
      const atA = Chunk.toArray(yield* Queue.takeAll(a.heard))
      expect(atA).toEqual([kept])
    })))

  it.live("more revocations than it keeps while away become one All", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const proxy = yield* tcpProxy(redisTarget())
      const a = yield* instance(settings)
      const b = yield* instance(throughProxy(settings, proxy.port))
      yield* proxy.down
      yield* Effect.forEach(
        Array.from({ length: maxUnpublished + 1 }, (_, i): Revocation => ({ _tag: "Session", sessionId: `s-${i}` })),
        (revocation) => b.bus.publish(revocation),
        { discard: true }
      ).pipe(Logger.withMinimumLogLevel(LogLevel.None))
      yield* proxy.up
      expect(yield* Queue.take(a.heard).pipe(Effect.timeout("5 seconds"))).toEqual({ _tag: "All" })
      yield* waitMs(200)
      expect(yield* Queue.size(a.heard)).toBe(0)
    })))

  it.live("an instance started while Redis is away subscribes once it answers", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const proxy = yield* tcpProxy(redisTarget())
      yield* proxy.down
      const a = yield* instance(settings)
      const late = yield* Effect.fork(
        instance(throughProxy(settings, proxy.port)).pipe(Logger.withMinimumLogLevel(LogLevel.None))
      )
      // Long enough for start-up to give up waiting (2 s for the connection, 2 s for the subscription).
      const b = yield* Fiber.join(late)
      yield* proxy.up
      // Whatever the others revoked before B first subscribed never reached it: that, too, is `Missed`.
      const heard = yield* heardUntil(b, a.bus.publish({ _tag: "All" }), [{ _tag: "All" }, { _tag: "Missed" }])
      expect(heard).toContainEqual({ _tag: "All" })
      expect(heard.filter((r) => r._tag === "Missed")).toHaveLength(1)
    })))
})
