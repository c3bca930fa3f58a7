import type { APIRequestContext, BrowserContext } from "playwright-core"

/**
 * A signed-up learner for browser tests: the account is created through the API with the
 * browser context's own request client, so the refresh cookie lands in that context and the app
 * restores the session on load, as it would after a real sign-up. The hint the app keeps in
 * localStorage ("this browser may have a session") is set before any page loads. The access
 * token is returned for the test's own API calls (checking what the server stored).
 */

export interface Learner {
  readonly email: string
  readonly accessToken: string
  readonly api: LearnerApi
}

export interface LearnerApi {
  readonly get: <A>(path: string) => Promise<A>
  readonly post: <A>(path: string, body?: unknown) => Promise<A>
  readonly put: <A>(path: string, body: unknown, headers?: Record<string, string>) => Promise<A>
  /** DELETE; resolves when the server answered 2xx (with no body). */
  readonly del: (path: string) => Promise<void>
}

let count = 0

const apiOf = (request: APIRequestContext, baseUrl: string, token: string): LearnerApi => {
  const headers = { authorization: `Bearer ${token}` }
  const parse = async <A>(method: string, path: string, response: Awaited<ReturnType<APIRequestContext["get"]>>) => {
    if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`)
    return (await response.json()) as A
  }
  return {
    get: async (path) => parse("GET", path, await request.get(`${baseUrl}${path}`, { headers })),
    post: async (path, body) =>
      parse("POST", path, await request.post(`${baseUrl}${path}`, { headers, ...(body === undefined ? {} : { data: body }) })),
    put: async (path, body, extra) =>
      parse("PUT", path, await request.put(`${baseUrl}${path}`, { headers: { ...headers, ...extra }, data: body })),
    del: async (path) => {
      const response = await request.delete(`${baseUrl}${path}`, { headers })
      if (!response.ok()) throw new Error(`DELETE ${path}: ${response.status()} ${await response.text()}`)
    }
  }
}

export const signUpLearner = async (context: BrowserContext, baseUrl: string, name = "Test Learner"): Promise<Learner> => {
  const email = `learner-${process.pid}-${Date.now()}-${++count}@example.com`
  const response = await context.request.post(`${baseUrl}/api/v1/auth/signup`, {
    data: { email, password: "Quiet-harbour-1987", displayName: name }
  })
  if (response.status() !== 201 && response.status() !== 200) {
    throw new Error(`sign-up failed: ${response.status()} ${await response.text()}`)
  }
  const session = (await response.json()) as { accessToken: string }
  await context.addInitScript(() => localStorage.setItem("compilar.session", "1"))
  return { email, accessToken: session.accessToken, api: apiOf(context.request, baseUrl, session.accessToken) }
}
