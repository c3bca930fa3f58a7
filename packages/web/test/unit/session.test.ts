import { Effect, Either } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { ApiClient } from "../../src/lib/ApiClient.js"
import { withRenewal } from "../../src/lib/session/Session.js"
import {
  accessToken,
  type SessionNotice,
  sessionNotices,
  sessionStatus,
  setSignedIn,
  setSignedOut
} from "../../src/lib/session/state.js"
import { makeFakeAuthServer, user } from "./support/fakeAuthServer.js"

/**
 * The session against a fake server, through the real typed client: an expired access token is
 * renewed once however many calls hit it at the same time (refresh tokens rotate; a second
 * refresh with the same cookie would revoke the session), and a refused refresh signs out.
 */

const me = withRenewal(Effect.flatMap(ApiClient, (api) => api.auth.me()))

describe("Session renewal", () => {
  let server: ReturnType<typeof makeFakeAuthServer>
  let notices: Array<SessionNotice>
  let unsubscribe: () => void

  beforeEach(() => {
    server = makeFakeAuthServer()
    notices = []
    unsubscribe = sessionNotices.subscribe((notice) => notices.push(notice))
    setSignedIn({ user: { ...user, id: user.id as never }, accessToken: "expired-token" })
  })

  afterEach(async () => {
    unsubscribe()
    setSignedOut()
    await server.runtime.dispose()
  })

  it("renews an expired token once for five concurrent calls, and retries each with the new token", async () => {
    const results = await server.runtime.runPromise(Effect.all([me, me, me, me, me], { concurrency: "unbounded" }))
    expect(results.map((u) => u.email)).toEqual(Array(5).fill(user.email))
    expect(server.refreshCount()).toBe(1)
    expect(accessToken()).toBe("fresh-1")
    const tokens = server.journal.filter((r) => r.path === "/api/v1/auth/me").map((r) => r.token)
    expect(tokens.filter((t) => t === "expired-token")).toHaveLength(5)
    expect(tokens.filter((t) => t === "fresh-1")).toHaveLength(5)
    // The refresh itself never carries the body's refresh token: the cookie does.
    expect(sessionStatus()).toBe("signedIn")
  })

  it("does not refresh again when another call already renewed the token", async () => {
    await server.runtime.runPromise(me)
    await server.runtime.runPromise(me)
    expect(server.refreshCount()).toBe(1)
    expect(server.journal.map((r) => r.path)).toEqual([
      "/api/v1/auth/me",
      "/api/v1/auth/refresh",
      "/api/v1/auth/me",
      "/api/v1/auth/me"
    ])
  })

  it("signs out cleanly, saying why, when the refresh token was reused", async () => {
    server.answerRefreshWith("refresh_reused")
    const result = await server.runtime.runPromise(Effect.either(Effect.all([me, me], { concurrency: "unbounded" })))
    expect(Either.isLeft(result) && result.left._tag).toBe("TokenExpired")
    expect(server.refreshCount()).toBe(1)
    expect(sessionStatus()).toBe("signedOut")
    expect(accessToken()).toBeUndefined()
    expect(notices).toEqual([{ _tag: "Reused" }])
  })

  it("signs out when the session has ended on the server", async () => {
    server.answerRefreshWith("unauthorized")
    const result = await server.runtime.runPromise(Effect.either(me))
    expect(Either.isLeft(result)).toBe(true)
    expect(sessionStatus()).toBe("signedOut")
    expect(notices).toEqual([{ _tag: "Expired" }])
  })

  it("stays signed in when the refresh could not be answered (429), for a later try", async () => {
    server.answerRefreshWith("rate_limited")
    const result = await server.runtime.runPromise(Effect.either(me))
    expect(Either.isLeft(result) && result.left._tag).toBe("TokenExpired")
    expect(sessionStatus()).toBe("signedIn")
    expect(notices).toEqual([])
  })

  it("never refreshes for a learner who is signed out", async () => {
    setSignedOut()
    const result = await server.runtime.runPromise(Effect.either(me))
    expect(Either.isLeft(result) && result.left._tag).toBe("Unauthorized")
    expect(server.refreshCount()).toBe(0)
    expect(server.journal).toEqual([{ path: "/api/v1/auth/me", token: undefined }])
  })
})
