import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { describeConfigError } from "../../src/Config.js"
import { clientAddressOf, normalizeAddress, trustedProxies, trustedProxiesConfig } from "../../src/Http/ClientAddress.js"

const trusting = (...entries: Array<string>) => Either.getOrThrow(trustedProxies(entries))

describe("client address", () => {
  it("normalises what sockets and proxies write", () => {
    expect(normalizeAddress("::ffff:203.0.113.9")).toBe("203.0.113.9")
    expect(normalizeAddress(" 203.0.113.9:51234 ")).toBe("203.0.113.9")
    expect(normalizeAddress("[2001:DB8::1]:443")).toBe("2001:db8::1")
    expect(normalizeAddress("fe80::1%eth0")).toBe("fe80::1")
    expect(normalizeAddress("unknown")).toBeUndefined()
    expect(normalizeAddress("999.1.1.1")).toBeUndefined()
  })

  it("without trusted proxies the socket's peer is the client, whatever the header says", () => {
    const none = trusting()
    expect(clientAddressOf(none, "::ffff:198.51.100.7", "203.0.113.1")).toBe("198.51.100.7")
    expect(clientAddressOf(none, undefined, "203.0.113.1")).toBe("unknown")
  })

  it("from an untrusted peer X-Forwarded-For is ignored", () => {
    const proxies = trusting("10.0.0.0/8")
    expect(clientAddressOf(proxies, "198.51.100.7", "203.0.113.1")).toBe("198.51.100.7")
  })

  it("from a trusted proxy: the right-most address that is not a trusted proxy", () => {
    const proxies = trusting("10.0.0.0/8", "192.0.2.10")
    // The client claims to be 1.1.1.1; the edge proxy appended the address it really saw.
    expect(clientAddressOf(proxies, "10.0.0.2", "1.1.1.1, 203.0.113.5, 192.0.2.10")).toBe("203.0.113.5")
    expect(clientAddressOf(proxies, "10.0.0.2", "203.0.113.5")).toBe("203.0.113.5")
    // Only our own proxies in the chain: the left-most one is as far as anyone can tell.
    expect(clientAddressOf(proxies, "10.0.0.2", "10.1.1.1, 10.0.0.3")).toBe("10.1.1.1")
    // No header: the proxy itself.
    expect(clientAddressOf(proxies, "10.0.0.2", undefined)).toBe("10.0.0.2")
    // Garbage where a proxy should have written an address: the nearest proxy we know.
    expect(clientAddressOf(proxies, "10.0.0.2", "203.0.113.5, nonsense, 10.0.0.3")).toBe("10.0.0.3")
  })

  it("IPv6 ranges and the loopback / private shorthands", () => {
    const proxies = trusting("loopback", "2001:db8::/32")
    expect(clientAddressOf(proxies, "::1", "2001:db8::5, 2001:db8::6")).toBe("2001:db8::5")
    expect(clientAddressOf(proxies, "::ffff:127.0.0.1", "[2001:db9::1]:1234")).toBe("2001:db9::1")
    expect(clientAddressOf(trusting("private"), "172.20.1.1", "203.0.113.5")).toBe("203.0.113.5")
    expect(clientAddressOf(trusting("private"), "172.32.1.1", "203.0.113.5")).toBe("172.32.1.1")
  })

  it.effect("TRUSTED_PROXIES: an entry that is neither an address nor a range stops start-up, naming the variable", () =>
    Effect.gen(function*() {
      const read = (value: string) =>
        Effect.either(
          Effect.withConfigProvider(trustedProxiesConfig, ConfigProvider.fromMap(new Map([["TRUSTED_PROXIES", value]])))
        )
      const good = yield* read("10.0.0.0/8, 192.0.2.1 ,loopback")
      expect(Either.isRight(good)).toBe(true)
      for (const bad of ["10.0.0.0/33", "proxy.internal", "10.0.0.1/8/1"]) {
        const result = yield* read(bad)
        expect(Either.isLeft(result)).toBe(true)
        if (Either.isLeft(result)) expect(describeConfigError(result.left).join("\n")).toContain("TRUSTED_PROXIES")
      }
      const unset = yield* Effect.either(Effect.withConfigProvider(trustedProxiesConfig, ConfigProvider.fromMap(new Map())))
      expect(Either.isRight(unset)).toBe(true)
    }))
})
