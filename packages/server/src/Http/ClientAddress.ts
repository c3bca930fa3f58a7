import { HttpServerRequest } from "@effect/platform"
import { Config, ConfigError, Context, Effect, Either, Layer, Option } from "effect"
import { BlockList, isIP } from "node:net"

/**
 * Who sent a request, for per-address rate limits: the socket's peer, unless that peer is one
 * of our own proxies (`TRUSTED_PROXIES`), in which case `X-Forwarded-For` says who it served.
 * Anyone can write that header, so it is read from the right (each proxy appends the address
 * it received from) and the first address that is not a trusted proxy is the client: whatever
 * a client put in the header itself sits to the left of that and is ignored.
 */

/** The address alone: no brackets, zone or port, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as IPv4. Undefined if not an IP. */
export const normalizeAddress = (raw: string): string | undefined => {
  let address = raw.trim()
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)
  if (bracketed) address = bracketed[1]!
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"))
  const zone = address.indexOf("%")
  if (zone >= 0) address = address.slice(0, zone)
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (mapped) address = mapped[1]!
  const family = isIP(address)
  if (family === 0) return undefined
  return family === 6 ? address.toLowerCase() : address
}

const family = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4")

/** Shorthands for the usual places a reverse proxy sits. */
const named: Record<string, ReadonlyArray<string>> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"]
}

/** A set of addresses and CIDR ranges; `Left` names the first entry that is neither. */
export const trustedProxies = (entries: ReadonlyArray<string>): Either.Either<BlockList, string> => {
  const list = new BlockList()
  for (const entry of entries.flatMap((e) => named[e.trim().toLowerCase()] ?? [e.trim()])) {
    const [host = "", prefix, ...rest] = entry.split("/")
    const address = normalizeAddress(host)
    if (address === undefined || rest.length > 0) return Either.left(entry)
    if (prefix === undefined) {
      list.addAddress(address, family(address))
      continue
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN
    if (!(bits >= 0 && bits <= (family(address) === "ipv6" ? 128 : 32))) return Either.left(entry)
    list.addSubnet(address, bits, family(address))
  }
  return Either.right(list)
}

/** The client of a request that reached us from `peer` carrying `forwardedFor` (X-Forwarded-For, all values joined). */
export const clientAddressOf = (
  trusted: BlockList,
  peer: string | undefined,
  forwardedFor: string | undefined
): string => {
  const from = peer === undefined ? undefined : normalizeAddress(peer)
  if (from === undefined) return "unknown"
  if (forwardedFor === undefined || !trusted.check(from, family(from))) return from
  let nearest = from
  const hops = forwardedFor.split(",")
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]!)
    // Garbage where a trusted proxy should have written an address: blame the proxy we know.
    if (hop === undefined) return nearest
    if (!trusted.check(hop, family(hop))) return hop
    nearest = hop
  }
  // Every hop is one of ours: the left-most is as far as anyone can tell.
  return nearest
}

/** `TRUSTED_PROXIES`: comma-separated addresses, CIDR ranges, `loopback` or `private`; empty by default (trust no header). */
export const trustedProxiesConfig: Config.Config<BlockList> = Config.array(Config.string(), "TRUSTED_PROXIES").pipe(
  Config.withDefault([] as ReadonlyArray<string>),
  Config.map((entries) => entries.map((e) => e.trim()).filter((e) => e !== "")),
  Config.mapOrFail((entries) =>
    Either.mapLeft(trustedProxies(entries), (entry) =>
      ConfigError.InvalidData(
        ["TRUSTED_PROXIES"],
        `Expected IP addresses or CIDR ranges (or loopback, private), got "${entry}"`
      ))
  )
)

export class ClientAddress extends Context.Tag("Http/ClientAddress")<ClientAddress, {
  readonly of: (request: HttpServerRequest.HttpServerRequest) => string
  /** The same for a request read from node:http directly (the fast path): its socket's peer and X-Forwarded-For. */
  readonly ofPeer: (peer: string | undefined, forwardedFor: string | undefined) => string
}>() {
  static readonly make = (trusted: BlockList): ClientAddress["Type"] => ({
    of: (request) => clientAddressOf(trusted, Option.getOrUndefined(request.remoteAddress), request.headers["x-forwarded-for"]),
    ofPeer: (peer, forwardedFor) => clientAddressOf(trusted, peer, forwardedFor)
  })

  static readonly Live = Layer.effect(ClientAddress, Effect.map(trustedProxiesConfig, ClientAddress.make))

  /** For tests: these entries, which must be valid. */
  static readonly layer = (entries: ReadonlyArray<string>) =>
    Layer.sync(ClientAddress, () =>
      ClientAddress.make(Either.getOrThrowWith(trustedProxies(entries), (entry) => new Error(`not a proxy: ${entry}`))))
}

