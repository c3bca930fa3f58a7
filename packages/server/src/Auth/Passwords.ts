import { Effect } from "effect"
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"

/**
 * Password hashing with scrypt (memory-hard) from node:crypto. The cost is OWASP's
 * recommendation for scrypt (N=2^17, r=8, p=1: 128 MiB and a few hundred ms per hash) and
 * travels with each hash, `scrypt$ln=17,r=8,p=1$<salt>$<key>` (base64url), so raising it
 * later leaves existing hashes verifiable. scrypt runs on libuv's thread pool, off the event loop.
 */

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  readonly logN: number
  readonly r: number
  readonly p: number
}

export const owaspScrypt: ScryptParams = { logN: 17, r: 8, p: 1 }

const saltBytes = 16
const keyBytes = 32

/** scrypt needs about 128·N·r bytes; Node refuses above `maxmem` (32 MiB by default). */
const maxmemFor = ({ logN, p, r }: ScryptParams) => 128 * r * (2 ** logN + p + 2) + 16 * 1024 * 1024

const derive = (password: string, salt: Buffer, params: ScryptParams, length: number) =>
  Effect.async<Buffer>((resume) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      length,
      { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: maxmemFor(params) },
      (error, key) => resume(error ? Effect.die(error) : Effect.succeed(key))
    )
  })

export const hashPassword = Effect.fn("Passwords.hash")(function*(password: string, params: ScryptParams = owaspScrypt) {
  const salt = randomBytes(saltBytes)
  const key = yield* derive(password, salt, params, keyBytes)
  return `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`
})

const format = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/

/** Parses a stored hash; undefined when it is not one of ours (or asks for an absurd cost). */
export const parseHash = (stored: string) => {
  const match = format.exec(stored)
  if (match === null) return undefined
  const params: ScryptParams = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) }
  if (params.logN < 1 || params.logN > 20 || params.r < 1 || params.p < 1 || params.p > 4) return undefined
  return { params, salt: Buffer.from(match[4]!, "base64url"), key: Buffer.from(match[5]!, "base64url") }
}

/** True when `password` matches `stored`; the comparison takes the same time wherever they differ. */
export const verifyPassword = Effect.fn("Passwords.verify")(function*(password: string, stored: string) {
  const parsed = parseHash(stored)
  // A shorter key would be a prefix of the real one: only full-length keys count.
  if (parsed === undefined || parsed.key.length !== keyBytes) return false
  const candidate = yield* derive(password, parsed.salt, parsed.params, parsed.key.length)
  return timingSafeEqual(candidate, parsed.key)
})
