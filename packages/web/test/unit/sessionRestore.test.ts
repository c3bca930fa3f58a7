import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Session } from "../../src/lib/session/Session.js"
import { accessToken, currentUser, sessionStatus } from "../../src/lib/session/state.js"
import { makeFakeAuthServer, user } from "./support/fakeAuthServer.js"

/**
 * Restoring on load (its own file: the session starts as `restoring` once per page, and once per
 * test file here). With the hint that this browser signed in before, one POST /refresh with the
 * cookie brings the session back; the body's refresh token is not kept anywhere.
 */

const storage = new Map<string, string>()
const fakeLocalStorage = {
  getItem: (key: string) => storage.get(key) ?? null,
  setItem: (key: string, value: string) => void storage.set(key, value),
  removeItem: (key: string) => void storage.delete(key)
}

describe("Session.restore", () => {
  const server = makeFakeAuthServer()

  beforeAll(() => {
    Object.defineProperty(globalThis, "localStorage", { value: fakeLocalStorage, configurable: true })
    storage.set("compilar.session", "1")
  })

  afterAll(async () => {
    await server.runtime.dispose()
    Reflect.deleteProperty(globalThis, "localStorage")
  })

  it("restores the session from the cookie with one refresh, once", async () => {
    expect(sessionStatus()).toBe("restoring")
    await server.runtime.runPromise(Effect.all([Session.restore, Session.restore], { concurrency: "unbounded" }))
    await server.runtime.runPromise(Session.restore)
    expect(server.refreshCount()).toBe(1)
    expect(sessionStatus()).toBe("signedIn")
    expect(currentUser()?.email).toBe(user.email)
    expect(accessToken()).toBe("fresh-1")
    expect([...storage.values()].some((v) => v.includes("body-refresh-token"))).toBe(false)
    expect(storage.get("compilar.session")).toBe("1")
  })
})
