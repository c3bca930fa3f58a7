import { Context, Effect, Layer, Option, Redacted } from "effect"
import { createHmac, generateKeyPairSync, type KeyObject, randomUUID, sign } from "node:crypto"
import { createServer } from "node:http"
import type { SupabaseSettings } from "../../src/Auth/Supabase.js"

/**
 * A stand-in for a Supabase project's Auth service, as far as a server checking its tokens
 * sees it: the JWKS endpoint (`/auth/v1/.well-known/jwks.json`, counting its requests, able to
 * fail or change its key set) and tokens minted the way Supabase Auth mints them (header
 * `{alg, kid, typ}`, claims iss/sub/aud/exp/iat/email/phone/role/aal/amr/session_id/is_anonymous
 * and the metadata objects), signed with ES256, RS256 or the legacy HS256 secret.
 */

export type Alg = "ES256" | "RS256" | "HS256"

interface KeyPair {
  readonly kid: string
  readonly alg: "ES256" | "RS256"
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

const keyPair = (alg: "ES256" | "RS256", kid: string): KeyPair => {
  const pair = alg === "ES256"
    ? generateKeyPairSync("ec", { namedCurve: "P-256" })
    : generateKeyPairSync("rsa", { modulusLength: 2048 })
  return { kid, alg, ...pair }
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url")

export const legacySecret = "super-secret-jwt-token-with-at-least-32-characters-long"

export interface MintOptions {
  readonly alg?: Alg
  /** The key id in the header; the signing key's own by default. */
  readonly kid?: string
  /** Sign with this key instead of the one `kid` names (a forger's key). */
  readonly signWith?: KeyPair
  readonly claims?: Record<string, unknown>
  /** Seconds from `now` (epoch seconds, `Date.now()` by default). */
  readonly expiresIn?: number
  readonly now?: number
}

export interface SupabaseFakeShape {
  readonly url: string
  readonly settings: SupabaseSettings
  /** JWKS requests served so far. */
  readonly jwksRequests: () => number
  /** Answer the JWKS with 503 (true) or normally (false). */
  readonly setDown: (down: boolean) => void
  /** Publish another key (rotation); returns it. */
  readonly addKey: (alg: "ES256" | "RS256", kid: string) => KeyPair
  /** A key the project never published. */
  readonly foreignKey: (alg: "ES256" | "RS256") => KeyPair
  readonly mint: (options?: MintOptions) => string
  /** A fresh user id, for the claims' `sub`. */
  readonly newUser: () => string
}

export class SupabaseFake extends Context.Tag("test/SupabaseFake")<SupabaseFake, SupabaseFakeShape>() {
  static readonly layer = (options: { readonly legacySecret?: boolean; readonly cooldownMs?: number } = {}) =>
    Layer.scoped(
      SupabaseFake,
      Effect.gen(function*() {
        const keys: Array<KeyPair> = [keyPair("ES256", "es-key-1"), keyPair("RS256", "rs-key-1")]
        let requests = 0
        let down = false
        const server = createServer((request, response) => {
          if (request.url !== "/auth/v1/.well-known/jwks.json") return response.writeHead(404).end()
          requests++
          if (down) return response.writeHead(503).end("unavailable")
          const jwks = {
            keys: keys.map((k) => ({ ...k.publicKey.export({ format: "jwk" }), kid: k.kid, alg: k.alg, use: "sig", key_ops: ["verify"] }))
          }
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks))
        })
        yield* Effect.acquireRelease(
          Effect.async<void>((resume) => {
            server.listen(0, "127.0.0.1", () => resume(Effect.void))
          }),
          () =>
            Effect.async<void>((resume) => {
              server.close(() => resume(Effect.void))
            })
        )
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        const url = `http://127.0.0.1:${port}`

        const mint = (mintOptions: MintOptions = {}) => {
          const alg = mintOptions.alg ?? "ES256"
          const now = mintOptions.now ?? Math.floor(Date.now() / 1000)
          const signer = mintOptions.signWith ?? keys.find((k) => k.alg === alg)
          const kid = mintOptions.kid ?? (alg === "HS256" ? "legacy-hs-1" : signer!.kid)
          const sub = randomUUID()
          const claims = {
            iss: `${url}/auth/v1`,
            sub,
            aud: "authenticated",
            exp: now + (mintOptions.expiresIn ?? 3600),
            iat: now,
            email: `learner.${sub.slice(0, 8)}@example.com`,
            phone: "",
            app_metadata: { provider: "email", providers: ["email"] },
            user_metadata: { email_verified: true, full_name: "Supabase Learner" },
            role: "authenticated",
            aal: "aal1",
            amr: [{ method: "password", timestamp: now }],
            session_id: randomUUID(),
            is_anonymous: false,
            ...mintOptions.claims
          }
          const input = `${segment({ alg, kid, typ: "JWT" })}.${segment(claims)}`
          const signature = alg === "HS256"
            ? createHmac("sha256", legacySecret).update(input).digest()
            : alg === "ES256"
            ? sign("sha256", Buffer.from(input), { key: signer!.privateKey, dsaEncoding: "ieee-p1363" })
            : sign("sha256", Buffer.from(input), signer!.privateKey)
          return `${input}.${signature.toString("base64url")}`
        }

        const settings: SupabaseSettings = {
          url,
          jwtSecret: options.legacySecret === false
            ? Option.none()
            : Option.some(Redacted.make(Buffer.from(legacySecret, "utf8") as Uint8Array)),
          audience: "authenticated",
          jwksCooldownMs: options.cooldownMs ?? 30_000,
          jwksMaxAgeMs: 10 * 60_000
        }

        return {
          url,
          settings,
          jwksRequests: () => requests,
          setDown: (value: boolean) => {
            down = value
          },
          addKey: (alg: "ES256" | "RS256", kid: string) => {
            const pair = keyPair(alg, kid)
            keys.push(pair)
            return pair
          },
          foreignKey: (alg: "ES256" | "RS256") => keyPair(alg, "foreign"),
          mint,
          newUser: () => randomUUID()
        } satisfies SupabaseFakeShape
      })
    )
}
