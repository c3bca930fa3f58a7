import { join } from "node:path"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, watchProblems } from "./support/browser.js"
import { type Learner, signUpLearner } from "./support/learner.js"
import { type LlmFakeServer, startLlmFake } from "./support/llmFake.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * The coaching's failure paths in Chromium, against the real server with OpenAI pointed at the
 * `llm-fake` server: the provider fails in the middle of the coaching (the learner is told, and
 * "Try again" streams it to its end), and the connection drops while the run it followed goes
 * away (the reconnect gets `restart` and the whole coaching, shown once). The fake's journal
 * says what reached the provider.
 */

/** The coaching the fake writes: sentences to count, citations to link, and markup that must stay text. */
const sentences = Array.from({ length: 8 }, (_, i) => `Practice number ${i + 1} keeps the group talking [${(i % 3) + 1}].`)
const reply = `${sentences.slice(0, 4).join(" ")}\n\nSome <img src=x onerror="window.injected=1"> markup stays text.\n\n${sentences.slice(4).join(" ")}`

/** How often `fragment` appears in the coaching text as shown (citations read as their numbers). */
const shownCount = async (page: Page, fragment: string) => {
  const text = (await page.locator(".coaching__text").textContent()) ?? ""
  return text.split(fragment).length - 1
}

const phase = (page: Page) => page.locator(".coaching").getAttribute("data-phase")

describe.runIf(browserTestsRun)("coaching failures (browser, llm-fake)", () => {
  let fake: LlmFakeServer | undefined
  // Registered before the app's hooks: started first, stopped last.
  beforeAll(async () => {
    fake = await startLlmFake()
  }, 60_000)
  afterAll(async () => {
    await fake?.stop()
  }, 30_000)

  const { app, newContext } = useAppAndBrowser("coaching", () => ({
    env: {
      ...fake!.env,
      // A run nobody follows any more is stopped at once, so a late reconnect finds it gone.
      COACHING_GRACE_MS: "100",
      // An open breaker lets a probe through after 3 s: a wait a test can sit out.
      LLM_BREAKER_OPEN_MS: "3000",
      RATE_LIMIT_AI_PER_MINUTE: "1000",
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000"
    }
  }))

  beforeEach(async () => {
    await fake!.reset()
  })

  /** A learner with one assessment completed through the API (its quiz written by the fake). */
  const learnerWithResults = async (): Promise<{ page: Page; learner: Learner; id: string; problems: Array<string> }> => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url)
    const created = await learner.api.post<{ id: string }>("/api/v1/assessments", { pillar: "divsexp", mode: "egalitarian" })
    const quiz = await learner.api.post<{ questions: Array<{ id: string }> }>(`/api/v1/assessments/${created.id}/questions`)
    for (const [i, q] of quiz.questions.entries()) {
      await learner.api.put(`/api/v1/assessments/${created.id}/answers/${q.id}`, { value: (i % 5) + 1 })
    }
    await learner.api.post(`/api/v1/assessments/${created.id}/complete`)
    const page = await context.newPage()
    return { page, learner, id: created.id, problems: watchProblems(page) }
  }

  /** The streamed chat requests the fake received, by how each ended. */
  const coachingCalls = async () => (await fake!.chats()).filter((entry) => entry.stream).map((entry) => entry.outcome)

  it("the provider fails mid-coaching: the learner is told, and Try again streams it to its end", async () => {
    const { page, id, problems } = await learnerWithResults()
    await fake!.configure({ reply, tokensPerSecond: 60 })
    await fake!.addFault({
      match: { provider: "openai", endpoint: "chat", stream: true },
      faults: [{ kind: "inBandError", afterChunks: 12, error: "server_error" }],
      times: 1
    })

    await page.goto(`${app().url}/assess/${id}/results`)
    await page.locator('.coaching[data-phase="error"]').waitFor({ timeout: 30_000 })
    // What was written before the failure stays in view; then what happened, in words, and a way on.
    expect(await shownCount(page, "Practice number 1 keeps")).toBe(1)
    expect(await shownCount(page, "Practice number 8 keeps")).toBe(0)
    expect(await page.locator(".coaching__status").textContent()).toContain("Interrupted")
    const alert = page.locator(".coaching__error[role=alert]")
    expect(await alert.textContent()).toContain("The coaching could not be finished. The coaching could not be written this time. Try again.")
    await page.locator('.toast[data-kind="error"] .toast__title', { hasText: "Coaching interrupted" }).waitFor()
    expect(await coachingCalls()).toEqual(["in-band-error"])
    await page.screenshot({ path: join(resultsDir, "coaching-error.png"), fullPage: true })

    // Try again, from the keyboard: the focus goes to the panel, and the coaching streams from its start to its end.
    await alert.getByRole("button", { name: "Try again" }).focus()
    await page.keyboard.press("Enter")
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("coaching-title")
    // The failure's toast goes with the failure.
    await expect.poll(() => page.locator(".toast__title", { hasText: "Coaching interrupted" }).count()).toBe(0)
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })
    expect(await alert.count()).toBe(0)
    for (const sentence of sentences) expect(await shownCount(page, sentence.replace(/ \[\d\]\.$/, "")), sentence).toBe(1)
    // Citations are buttons; the markup in the model's text is shown as text, never run.
    expect(await page.locator(".coaching__text button.citation").count()).toBe(8)
    expect(await shownCount(page, '<img src=x onerror="window.injected=1">')).toBe(1)
    expect(await page.locator(".coaching__text img").count()).toBe(0)
    expect(await page.evaluate(() => "injected" in window)).toBe(false)
    expect(await coachingCalls()).toEqual(["in-band-error", "completed"])
    await page.screenshot({ path: join(resultsDir, "coaching-retried.png"), fullPage: true })

    // Stored: coming back replays it without asking the provider again.
    await page.reload()
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })
    expect(await shownCount(page, "Practice number 8 keeps")).toBe(1)
    expect(await coachingCalls()).toEqual(["in-band-error", "completed"])
    expect(problems).toEqual([])
  }, 120_000)

  it("the connection drops and the run it followed goes away: the reconnect restarts the coaching, shown once", async () => {
    const { page, id, problems } = await learnerWithResults()
    // Slow enough that the run is still writing when the connection drops.
    await fake!.configure({ reply, tokensPerSecond: 25 })

    // The first response is cut after a few events, as a dropped connection would leave it; the
    // request behind it is abandoned, so the server stops that run. Later requests go through.
    const lastEventIds: Array<string | undefined> = []
    await page.route(`**/api/v1/assessments/${id}/coaching`, async (route) => {
      const headers = route.request().headers()
      lastEventIds.push(headers["last-event-id"])
      if (lastEventIds.length > 1) return route.continue()
      const upstream = new AbortController()
      const response = await fetch(route.request().url(), {
        headers: { authorization: headers["authorization"] ?? "", accept: "text/event-stream" },
        signal: upstream.signal
      })
      const reader = response.body!.getReader()
      const decoder = new TextDecoder()
      let body = ""
      while ((body.match(/^event: delta$/gm) ?? []).length < 5) body += decoder.decode((await reader.read()).value, { stream: true })
      upstream.abort()
      await route.fulfill({
        status: 200,
        headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
        // Up to the end of the last whole event: where the connection died.
        body: body.slice(0, body.lastIndexOf("\n\n") + 2)
      })
    })

    await page.goto(`${app().url}/assess/${id}/results`)
    // Cut off: what came so far stays, and the learner is told it is reconnecting.
    await page.locator('.coaching[data-phase="reconnecting"]').waitFor({ timeout: 30_000 })
    expect(await page.locator(".coaching__status").textContent()).toContain("Connection lost — reconnecting…")
    expect(await shownCount(page, "Practice number 1 keeps")).toBe(1)
    await page.screenshot({ path: join(resultsDir, "coaching-reconnecting.png"), fullPage: true })

    // The run it followed is gone by then: `restart`, and the new run from its beginning, shown once.
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })
    expect(lastEventIds).toEqual([undefined, expect.stringMatching(/^[0-9a-f]{12}:\d+$/)])
    for (const sentence of sentences) expect(await shownCount(page, sentence.replace(/ \[\d\]\.$/, "")), sentence).toBe(1)
    expect(await phase(page)).toBe("done")
    // The abandoned run's upstream request was cancelled; the restarted one completed.
    expect(await coachingCalls()).toEqual(["client-closed", "completed"])
    expect(problems).toEqual([])
  }, 120_000)

  // Last in the file: it leaves OpenAI's coaching breaker half-open.
  it("every provider unavailable: Try again waits out the server's retry-after, then the coaching comes", async () => {
    const { page, id, problems } = await learnerWithResults()
    await fake!.configure({ reply, tokensPerSecond: 200 })
    // A refused key opens OpenAI's breaker at once; it is the only provider.
    await fake!.addFault({
      match: { provider: "openai", endpoint: "chat", stream: true },
      faults: [{ kind: "error", error: "unauthorized" }],
      times: 1
    })

    await page.goto(`${app().url}/assess/${id}/results`)
    const alert = page.locator(".coaching__error[role=alert]")
    const tryAgain = alert.getByRole("button", { name: /^Try again/ })
    await alert.waitFor({ timeout: 30_000 })
    // That failure says nothing about when: Try again at once.
    expect(await tryAgain.textContent()).toBe("Try again")
    await tryAgain.click()

    // Now the breaker is open: the server says how long, and Try again counts it down.
    await alert.filter({ hasText: "every AI provider is failing" }).waitFor({ timeout: 30_000 })
    expect(await tryAgain.isDisabled()).toBe(true)
    expect(await tryAgain.textContent()).toMatch(/^Try again in [1-3] s$/)
    await page.screenshot({ path: join(resultsDir, "coaching-retry-after.png"), fullPage: true })
    await expect.poll(() => tryAgain.isEnabled(), { timeout: 10_000 }).toBe(true)
    expect(await tryAgain.textContent()).toBe("Try again")
    expect(await coachingCalls()).toEqual(["error"])

    // Past the wait the breaker lets a probe through, and the coaching is written.
    await tryAgain.click()
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })
    expect(await shownCount(page, "Practice number 8 keeps")).toBe(1)
    expect(await coachingCalls()).toEqual(["error", "completed"])
    expect(problems).toEqual([])
  }, 120_000)
})
