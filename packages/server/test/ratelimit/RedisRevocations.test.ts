import { describe, expect, it } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Logger, LogLevel, Queue, Stream } from "effect"
import { RedisRevocationsLive } from "../../src/Auth/RedisRevocations.js"
import { type Revocation, RevocationBus } from "../../src/Auth/Revocations.js"
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
    const heard = yield* Queue.unbounded<Revocation>()
    yield* Stream.runForEach(bus.remote, (r) => Queue.offer(heard, r)).pipe(Effect.forkScoped)
    // Let the stream subscribe to the instance's hub before anything is published.
    yield* Effect.sleep("20 millis")
    return { bus, heard }
  }).pipe(Logger.withMinimumLogLevel(LogLevel.Warning))

const waitMs = (ms: number) => Effect.sleep(`${ms} millis`)

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

  it.live("subscribes again after losing Redis, and publishing while it is away fails no one", () =>
    Effect.scoped(Effect.gen(function*() {
      const settings = yield* freshRedis()
      const proxy = yield* tcpProxy(redisTarget())
      const a = yield* instance(settings)
      const b = yield* instance(throughProxy(settings, proxy.port))

      yield* a.bus.publish({ _tag: "Session", sessionId: "before" })
      expect(yield* Queue.take(b.heard).pipe(Effect.timeout("3 seconds"))).toEqual({ _tag: "Session", sessionId: "before" })

      yield* proxy.down
      // B cannot reach Redis: its publish is logged and dropped, never a failure.
      yield* b.bus.publish({ _tag: "User", userId: "lost" }).pipe(Logger.withMinimumLogLevel(LogLevel.None))
      yield* proxy.up

      // Once B is back on Redis (reconnection is retried within a second), A's revocations reach it again.
      const deadline = Date.now() + 5_000
      let heard: Revocation | undefined
      while (heard === undefined && Date.now() < deadline) {
        yield* a.bus.publish({ _tag: "Session", sessionId: "after" })
        const next = yield* Queue.take(b.heard).pipe(Effect.timeout("200 millis"), Effect.option)
        if (next._tag === "Some") heard = next.value
      }
      expect(heard).toEqual({ _tag: "Session", sessionId: "after" })
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
      const deadline = Date.now() + 5_000
      let heard = false
      while (!heard && Date.now() < deadline) {
        yield* a.bus.publish({ _tag: "All" })
        heard = (yield* Queue.take(b.heard).pipe(Effect.timeout("200 millis"), Effect.option))._tag === "Some"
      }
      expect(heard).toBe(true)
    })))
})
