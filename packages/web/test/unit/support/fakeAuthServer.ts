import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Effect, Layer, ManagedRuntime } from "effect"
import { ApiClient } from "../../../src/lib/ApiClient.js"
import { Session } from "../../../src/lib/session/Session.js"

/**
 * The auth routes the session uses, answered in memory through the app's real typed client and
 * `Session` (only the HttpClient underneath is replaced). `/me` accepts only the tokens the
 * fake's `/refresh` handed out; `/refresh` answers what the test scripts.
 */

// The app calls its API with same-origin paths; in a browser they resolve against the page.
if (!("location" in globalThis)) {
  Object.defineProperty(globalThis, "location", {
    value: { origin: "http://app.test", pathname: "/" },
    configurable: true
  })
}

export const user = {
  id: "0b6f2d1e-3c4b-4a5d-8e9f-112233445566",
  email: "ada@example.com",
  displayName: "Ada",
  roles: []
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const envelope = (status: number, code: string, message: string) =>
  json(status, { error: { code, message, requestId: "req-test" } })

export type RefreshAnswer = "fresh" | "refresh_reused" | "unauthorized" | "rate_limited"

export const makeFakeAuthServer = () => {
  const journal: Array<{ readonly path: string; readonly token: string | undefined }> = []
  let refreshes = 0
  let refreshAnswer: RefreshAnswer = "fresh"
  const issued = new Set<string>()

  const answer = async (path: string, token: string | undefined): Promise<Response> => {
    journal.push({ path, token })
    switch (path) {
      case "/api/v1/auth/refresh": {
        refreshes += 1
        // Long enough for every concurrent caller to fail and ask for a refresh meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 30))
        if (refreshAnswer === "refresh_reused") return envelope(401, "refresh_reused", "Already used.")
        if (refreshAnswer === "unauthorized") return envelope(401, "unauthorized", "Sign in again.")
        if (refreshAnswer === "rate_limited") return envelope(429, "rate_limited", "Slow down.")
        const accessToken = `fresh-${refreshes}`
        issued.add(accessToken)
        return json(200, {
          user,
          accessToken,
          expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
          refreshToken: "body-refresh-token-the-web-app-must-drop"
        })
      }
      case "/api/v1/auth/me":
        if (token === undefined) return envelope(401, "unauthorized", "Sign in first.")
        return issued.has(token) ? json(200, user) : envelope(401, "token_expired", "The access token has expired.")
      default:
        return envelope(404, "route_not_found", "No route.")
    }
  }

  const client = HttpClient.make((request, url) =>
    Effect.promise(() => {
      const authorization = request.headers["authorization"]
      const token = authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined
      return answer(url.pathname, token)
    }).pipe(Effect.map((response) => HttpClientResponse.fromWeb(request, response)))
  )

  const layer = Layer.provideMerge(
    Session.DefaultWithoutDependencies,
    ApiClient.DefaultWithoutDependencies.pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
  )

  return {
    runtime: ManagedRuntime.make(layer),
    journal,
    refreshCount: () => refreshes,
    answerRefreshWith: (next: RefreshAnswer) => {
      refreshAnswer = next
    }
  }
}
