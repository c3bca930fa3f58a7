import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { repoRoot, resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { type Learner, signUpLearner } from "./support/learner.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * Every page of the app, signed in and signed out, in Chromium against the real server: each
 * loads without a console error, an uncaught exception or a failed request, and the main
 * navigation marks the section it belongs to (`aria-current`: "page" on the section's own page,
 * "true" on the pages inside it). A route added to routes.ts without a visit here fails the test.
 */

interface Visit {
  /** The route's pattern in routes.ts. */
  readonly route: string
  readonly path: (ids: Ids) => string
  /** Something only the finished page shows. */
  readonly ready: (page: Page) => Promise<void>
  /** The navigation's links marked current: accessible name → aria-current. */
  readonly current: Record<string, string>
}

interface Ids {
  readonly open: string
  readonly completed: string
}

const heading = (name: string) => (page: Page) => page.getByRole("heading", { name, level: 1 }).waitFor()

const signedIn: ReadonlyArray<Visit> = [
  { route: "/", path: () => "/", ready: heading("Understand how your group really works"), current: { Pillars: "page" } },
  { route: "/knowledge", path: () => "/knowledge", ready: heading("Ask the knowledge base"), current: { Knowledge: "page" } },
  { route: "/explorer", path: () => "/explorer", ready: heading("How the pillars push on each other"), current: { Explorer: "page" } },
  {
    route: "/assess",
    path: () => "/assess",
    ready: (page) => page.locator(".resume-item").first().waitFor(),
    current: { Assess: "page" }
  },
  {
    route: "/assess/:id",
    path: (ids) => `/assess/${ids.open}`,
    ready: (page) => page.locator(".question__count", { hasText: "Statement 2 of 10" }).waitFor(),
    current: { Assess: "true" }
  },
  {
    route: "/assess/:id/results",
    path: (ids) => `/assess/${ids.completed}/results`,
    ready: (page) => page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 }),
    current: { Assess: "true" }
  },
  {
    route: "/history",
    path: () => "/history",
    ready: (page) => page.locator(".history__end", { hasText: "2 assessments" }).waitFor(),
    current: { History: "page" }
  },
  {
    route: "/progress",
    path: () => "/progress",
    ready: (page) => page.locator(".progress-stats").waitFor(),
    current: { History: "true" }
  },
  {
    route: "/account",
    path: () => "/account",
    ready: heading("Your account"),
    current: { "Your account: Page Visitor": "page" }
  },
  { route: "*404", path: () => "/no/such/page", ready: heading("Page not found"), current: {} }
]

const signedOut: ReadonlyArray<Visit> = [
  { route: "/signin", path: () => "/signin", ready: heading("Sign in to Compilar"), current: { "Sign in": "page" } },
  { route: "/signup", path: () => "/signup", ready: heading("Create your account"), current: {} },
  { route: "*404", path: () => "/no/such/page", ready: heading("Page not found"), current: {} }
]

/** The route patterns routes.ts declares (the layout route's "/" among them). */
const declaredRoutes = (): ReadonlySet<string> => {
  const source = readFileSync(join(repoRoot, "packages/web/src/routes.ts"), "utf8")
  return new Set([...source.matchAll(/path: "([^"]+)"/g)].map((m) => m[1]!))
}

const currentLinks = (page: Page) =>
  page
    .getByRole("navigation", { name: "Main" })
    .locator("a[aria-current]")
    .evaluateAll((links) =>
      Object.fromEntries(
        links.map((a) => [a.getAttribute("aria-label") ?? a.textContent?.trim() ?? "", a.getAttribute("aria-current") ?? ""])
      )
    )

describe.runIf(browserTestsRun)("every page (browser)", () => {
  const { app, browser } = useAppAndBrowser("pages", { env: { RATE_LIMIT_AI_PER_MINUTE: "1000", RATE_LIMIT_GENERAL_PER_MINUTE: "100000" } })

  it("declares no route this test does not visit", () => {
    const visited = new Set([...signedIn, ...signedOut].map((visit) => visit.route))
    // "/" twice: the catalogue, and the layout route around the pages that need an account.
    expect([...declaredRoutes()].filter((route) => !visited.has(route))).toEqual([])
  })

  const visitAll = async (page: Page, visits: ReadonlyArray<Visit>, ids: Ids) => {
    const problems = watchProblems(page)
    const seen: Record<string, Record<string, string>> = {}
    const wanted: Record<string, Record<string, string>> = {}
    for (const visit of visits) {
      const path = visit.path(ids)
      await page.goto(`${app().url}${path}`)
      await visit.ready(page)
      // Whatever the page loads after its content (the footer's health check, fonts) is done too.
      await page.waitForLoadState("networkidle")
      seen[path] = await currentLinks(page)
      wanted[path] = visit.current
      expect(problems, path).toEqual([])
    }
    expect(seen).toEqual(wanted)
  }

  it("signed in: each page loads without a console error and marks its section in the navigation", async () => {
    const context = await browser().newContext({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const learner: Learner = await signUpLearner(context, app().url, "Page Visitor")
    const completed = (await learner.api.post<{ id: string }>("/api/v1/assessments", { draw: true })).id
    const quiz = await learner.api.post<{ questions: Array<{ id: string }> }>(`/api/v1/assessments/${completed}/questions`)
    for (const q of quiz.questions) await learner.api.put(`/api/v1/assessments/${completed}/answers/${q.id}`, { value: 4 })
    await learner.api.post(`/api/v1/assessments/${completed}/complete`)
    const open = (await learner.api.post<{ id: string }>("/api/v1/assessments", { draw: true })).id
    await learner.api.post(`/api/v1/assessments/${open}/questions`)
    await learner.api.put(`/api/v1/assessments/${open}/answers/q01`, { value: 2 })

    const page = await context.newPage()
    await visitAll(page, signedIn, { open, completed })

    // The history on a phone: the delete buttons fit beside their rows.
    await page.setViewportSize(viewports.phone)
    await page.goto(`${app().url}/history`)
    await page.locator(".history-row").nth(1).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: join(resultsDir, "history-phone.png"), fullPage: true })
    await context.close()
  }, 180_000)

  it("signed out: each page loads without a console error and marks its section in the navigation", async () => {
    const context = await browser().newContext({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const page = await context.newPage()
    await visitAll(page, signedOut, { open: "", completed: "" })
    await context.close()
  }, 120_000)
})
