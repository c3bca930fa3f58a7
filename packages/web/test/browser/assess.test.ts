import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { type Learner, signUpLearner } from "./support/learner.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * The learner journey in Chromium against the real server (offline LLM provider): the deck, the
 * quiz (clicks, keys, a double click), results with the force chart, coaching streaming in with
 * citations that open their passage, history and progress; deleting from the history and the
 * results page (a confirmation, the keyboard and focus, a refused request); two tabs on one quiz; a reload in
 * the middle; the network cut while answering, and a response lost after the server stored the
 * answer. What the server stored is checked through the API every time.
 */

interface Detail {
  readonly id: string
  readonly status: string
  readonly questionCount: number
  readonly answers: Record<string, number>
}

const waitForStatement = (page: Page, n: number) =>
  page.locator(".question__count", { hasText: `Statement ${n} of 10` }).waitFor()

const option = (page: Page, value: number) => page.locator(`.likert__option[data-value="${value}"]`)

const allSaved = (page: Page) => page.locator('.quiz-header__saving[data-state="saved"]').waitFor()

const pressedValue = async (page: Page) => {
  const pressed = page.locator('.likert__option[aria-pressed="true"]')
  return (await pressed.count()) === 0 ? undefined : Number(await pressed.getAttribute("data-value"))
}

/** Starts an assessment through the API, with its quiz generated and `answers` given. */
const assessmentWith = async (learner: Learner, answers: Record<string, number>): Promise<string> => {
  const created = await learner.api.post<{ id: string }>("/api/v1/assessments", { draw: true })
  await learner.api.post(`/api/v1/assessments/${created.id}/questions`)
  for (const [q, value] of Object.entries(answers)) {
    await learner.api.put(`/api/v1/assessments/${created.id}/answers/${q}`, { value })
  }
  return created.id
}

const detailOf = (learner: Learner, id: string) => learner.api.get<Detail>(`/api/v1/assessments/${id}`)

/** An assessment answered and completed through the API. */
const completedAssessment = async (learner: Learner): Promise<string> => {
  const created = await learner.api.post<{ id: string }>("/api/v1/assessments", { draw: true })
  const quiz = await learner.api.post<{ questions: Array<{ id: string }> }>(`/api/v1/assessments/${created.id}/questions`)
  for (const [i, q] of quiz.questions.entries()) {
    await learner.api.put(`/api/v1/assessments/${created.id}/answers/${q.id}`, { value: (i % 5) + 1 })
  }
  await learner.api.post(`/api/v1/assessments/${created.id}/complete`)
  return created.id
}

/** The figures of the progress page's "At a glance": completed, in progress, pillars, modes. */
const glance = (page: Page) => page.locator(".progress-stats dd").evaluateAll((els) => els.map((e) => e.textContent))

/** What has the focus, as the test can name it: a history row's link by its id, or an element's id or text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    if (el === null || el === document.body) return "body"
    return el.getAttribute("data-assessment") ?? (el.id || el.textContent?.trim() || el.tagName)
  })

/** Console noise a test provokes on purpose (the network cut); anything else is a failure. */
const unexpected = (problems: ReadonlyArray<string>, allowed: ReadonlyArray<RegExp> = []) =>
  problems.filter((p) => !allowed.some((pattern) => pattern.test(p)))

describe.runIf(browserTestsRun)("assessment journey (browser)", () => {
  const { app, newContext } = useAppAndBrowser("assess", {
    env: {
      RATE_LIMIT_SIGNIN_PER_MINUTE: "1000",
      RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: "1000",
      RATE_LIMIT_AI_PER_MINUTE: "1000",
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000"
    }
  })

  it("deck → quiz (clicks, keys, a double click) → results → coaching with citations → history and progress", async () => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url, "Journey Learner")
    const page = await context.newPage()
    const problems = watchProblems(page)

    // The deck, with nothing to resume yet.
    await page.goto(`${app().url}/assess`)
    // The first page of a freshly started server can be slow on a busy machine.
    await page.getByRole("heading", { name: "See where your group stands" }).waitFor({ timeout: 60_000 })
    expect(await page.locator(".pillar-choice").count()).toBe(5)
    expect(await page.locator(".resume-list").count()).toBe(0)
    await page.screenshot({ path: join(resultsDir, "assess-deck.png"), fullPage: true })

    // Draw a card: the assessment is created and its quiz written.
    await page.getByRole("button", { name: "Draw a card" }).click()
    await page.waitForURL(/\/assess\/[0-9a-f-]{36}$/)
    const id = new URL(page.url()).pathname.split("/")[2]!
    await waitForStatement(page, 1)
    await page.locator(".toast__title", { hasText: "Your quiz is ready" }).waitFor()
    expect(await page.locator(".likert__option").count()).toBe(5)
    expect(await option(page, 1).textContent()).toContain("Strongly disagree")
    expect(await option(page, 5).textContent()).toContain("Strongly agree")
    await page.screenshot({ path: join(resultsDir, "assess-quiz.png"), fullPage: true })

    // A double click answers once: statement 2 is shown, unanswered.
    await option(page, 2).dblclick()
    await waitForStatement(page, 2)
    expect(await pressedValue(page)).toBeUndefined()
    await allSaved(page)
    expect((await detailOf(learner, id)).answers).toEqual({ q01: 2 })

    // Clicks and keys, each answer saved as it is given.
    await option(page, 4).click()
    await waitForStatement(page, 3)
    for (const [n, key] of [[3, "5"], [4, "1"], [5, "3"]] as const) {
      await waitForStatement(page, n)
      await page.keyboard.press(key)
    }
    await waitForStatement(page, 6)
    // Back with the arrow: statement 5 shows its answer; forward again.
    await page.keyboard.press("ArrowLeft")
    await waitForStatement(page, 5)
    expect(await pressedValue(page)).toBe(3)
    await page.keyboard.press("ArrowRight")
    await waitForStatement(page, 6)
    expect(await pressedValue(page)).toBeUndefined()
    await page.keyboard.press("ArrowRight")
    // Cannot skip an open statement.
    await waitForStatement(page, 6)
    for (const n of [6, 7, 8, 9, 10]) {
      await waitForStatement(page, n)
      await option(page, (n % 5) + 1).click()
    }

    // The review: every answer, then results once the server has them all.
    await page.getByRole("heading", { name: "All 10 statements answered" }).waitFor()
    await allSaved(page)
    const answers = (await detailOf(learner, id)).answers
    expect(answers).toEqual({ q01: 2, q02: 4, q03: 5, q04: 1, q05: 3, q06: 2, q07: 3, q08: 4, q09: 5, q10: 1 })
    await page.screenshot({ path: join(resultsDir, "assess-review.png"), fullPage: true })
    await page.getByRole("button", { name: "See my results" }).click()

    // Results: pillar score, four forces with text values, effects, strengths and growth areas.
    await page.waitForURL(`${app().url}/assess/${id}/results`)
    await page.locator(".toast__title", { hasText: "Assessment complete" }).waitFor()
    await page.locator(".results-score__number").waitFor()
    const results = await learner.api.get<{ pillarScore: number; forceScores: Record<string, number> }>(
      `/api/v1/assessments/${id}/results`
    )
    expect(await page.locator(".results-score__number").textContent()).toBe(String(Math.round(results.pillarScore)))
    expect(await page.locator(".force-chart__row").count()).toBe(4)
    for (const [force, score] of Object.entries(results.forceScores)) {
      expect(await page.locator(`.force-chart__row[data-force="${force}"] .force-chart__score`).textContent()).toBe(
        String(Math.round(score))
      )
    }
    expect(await page.locator(".effects__item").count()).toBeGreaterThan(0)
    expect(await page.locator(".highlights__group").count()).toBe(2)

    // Coaching streams in, then is done; its citations are buttons, never raw HTML.
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })
    const citations = page.locator(".coaching__text button.citation")
    expect(await citations.count()).toBeGreaterThan(0)
    expect(await page.locator(".coaching__text p").count()).toBeGreaterThan(1)
    expect(await page.locator(".coaching__text").innerHTML()).not.toMatch(/\[\d+\]/)
    await page.screenshot({ path: join(resultsDir, "assess-results.png"), fullPage: true })

    // A citation opens its passage (the knowledge corpus's text) with a link to the knowledge base.
    await citations.first().click()
    const dialog = page.locator("dialog.citation-dialog[open]")
    await dialog.waitFor()
    expect((await dialog.locator(".citation-dialog__text").textContent())!.length).toBeGreaterThan(40)
    expect(await dialog.getByRole("link", { name: "Open in the knowledge base" }).getAttribute("href")).toMatch(
      /^\/knowledge\?q=.+&open=/
    )
    await page.screenshot({ path: join(resultsDir, "assess-citation.png") })
    await page.keyboard.press("Escape")
    await expect.poll(() => dialog.count()).toBe(0)

    // The knowledge base opens on the same passage.
    await citations.first().click()
    const cited = await dialog.locator(".modal-dialog__box").getAttribute("data-chunk")
    await dialog.getByRole("link", { name: "Open in the knowledge base" }).click()
    await page.waitForURL(/\/knowledge\?/)
    await page.locator(`.passage.is-open[data-chunk="${cited}"]`).waitFor()
    await page.goBack()
    await page.waitForURL(`${app().url}/assess/${id}/results`)

    // Coming back replays the stored coaching.
    await page.reload()
    await page.locator(".coaching__status", { hasText: "Written for your results" }).waitFor({ timeout: 30_000 })

    // History: the completed assessment, with its score, opening its results.
    await page.goto(`${app().url}/history`)
    const row = page.locator(`.history-item[data-assessment="${id}"]`)
    await row.waitFor()
    expect(await row.locator(".status-chip").textContent()).toBe("Completed")
    expect(await row.locator(".history-item__number").textContent()).toBe(String(Math.round(results.pillarScore)))
    await page.screenshot({ path: join(resultsDir, "assess-history.png"), fullPage: true })

    // Progress: one completed, the pillar covered, its average.
    await page.getByRole("link", { name: "Progress" }).click()
    await page.waitForURL(`${app().url}/progress`)
    await page.locator(".progress-stats").waitFor()
    expect(await page.locator(".progress-stats dd").first().textContent()).toBe("1")
    expect(await page.locator(".coverage__item.is-covered").count()).toBe(1)
    expect(await page.locator(".force-chart__row").count()).toBe(1)
    await page.screenshot({ path: join(resultsDir, "assess-progress.png"), fullPage: true })

    await page.goto(`${app().url}/history`)
    await page.locator(`.history-item[data-assessment="${id}"]`).click()
    await page.waitForURL(`${app().url}/assess/${id}/results`)
    await page.locator(".results-score__number").waitFor()

    expect(problems).toEqual([])
  }, 180_000)

  it("history: empty states, then ten at a time with Load more, a delete keeping them; progress counts what is open", async () => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url)
    const page = await context.newPage()
    const problems = watchProblems(page)

    await page.goto(`${app().url}/history`)
    await page.getByRole("heading", { name: "No assessments yet" }).waitFor()
    await page.screenshot({ path: join(resultsDir, "assess-history-empty.png"), fullPage: true })
    await page.goto(`${app().url}/progress`)
    await page.getByRole("heading", { name: "Nothing to show yet" }).waitFor()

    const ids: Array<string> = []
    for (let i = 0; i < 12; i++) ids.push((await learner.api.post<{ id: string }>("/api/v1/assessments", { draw: true })).id)
    await page.goto(`${app().url}/history`)
    await page.locator(".history-item").first().waitFor()
    expect(await page.locator(".history-item").count()).toBe(10)
    // Newest first.
    expect(await page.locator(".history-item").first().getAttribute("data-assessment")).toBe(ids[11])
    await page.getByRole("button", { name: "Load more" }).click()
    await page.locator(".history__end", { hasText: "12 assessments" }).waitFor()
    const shown = await page.locator(".history-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-assessment")))
    expect(shown).toEqual([...ids].reverse())
    expect(await page.locator('.history-item .status-chip[data-status="created"]').count()).toBe(12)
    await page.screenshot({ path: join(resultsDir, "assess-history-more.png"), fullPage: true })

    // Deleting one that "Load more" brought keeps every row loaded so far (the first page is fetched again behind it).
    await page.locator(`.history-row[data-assessment="${ids[1]}"] .history-row__delete`).click()
    await page.locator("dialog.confirm-dialog[open]").getByRole("button", { name: "Delete" }).click()
    await page.locator(".history__end", { hasText: "11 assessments" }).waitFor()
    expect(await page.locator(".history-item").evaluateAll((els) => els.map((e) => e.getAttribute("data-assessment")))).toEqual(
      [...ids].reverse().filter((id) => id !== ids[1])
    )

    // An open one resumes its quiz (written on the way).
    await page.locator(`.history-item[data-assessment="${ids[0]}"]`).click()
    await page.waitForURL(`${app().url}/assess/${ids[0]}`)
    await waitForStatement(page, 1)

    await page.goto(`${app().url}/progress`)
    await page.locator(".progress-stats").waitFor()
    expect(await page.locator(".progress-stats dd").evaluateAll((els) => els.map((e) => e.textContent))).toEqual([
      "0",
      "11",
      "0 / 10",
      "0 / 2"
    ])
    expect(problems).toEqual([])
  }, 120_000)

  it("deletes after a confirmation, from the history and the results page: keyboard and focus, toasts, no reload; a failure keeps it", async () => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url)
    const older = await completedAssessment(learner)
    const newer = await completedAssessment(learner)
    const open = await assessmentWith(learner, { q01: 3 })
    const page = await context.newPage()
    const problems = watchProblems(page)
    page.on("dialog", (dialog) => problems.push(`native dialog: ${dialog.type()}`))
    const confirm = page.locator("dialog.confirm-dialog[open]")
    const deleteButton = (id: string) => page.locator(`.history-row[data-assessment="${id}"] .history-row__delete`)
    const gone = async (id: string) => expect(detailOf(learner, id)).rejects.toThrow(/: 404 /)

    await page.goto(`${app().url}/progress`)
    await page.locator(".progress-stats").waitFor()
    expect((await glance(page)).slice(0, 2)).toEqual(["2", "1"])
    await page.locator(".subnav").getByRole("link", { name: "History" }).click()
    await page.locator(".history-row").nth(2).waitFor()
    // A mark on the window: a reload would wipe it.
    await page.evaluate(() => Object.assign(window, { notReloaded: true }))

    // Keyboard: the delete button opens the question, focus on Cancel; Escape says no and focus comes back.
    expect(await deleteButton(newer).getAttribute("aria-label")).toMatch(/^Delete the .+ assessment completed /)
    await deleteButton(newer).focus()
    await page.keyboard.press("Enter")
    await confirm.waitFor()
    expect(await confirm.getAttribute("role")).toBe("alertdialog")
    expect(await confirm.locator(".confirm-dialog__title").textContent()).toMatch(/^Delete your .+ assessment\?$/)
    await expect.poll(() => focused(page)).toBe("Cancel")
    await page.screenshot({ path: join(resultsDir, "assess-delete-confirm.png") })
    await page.keyboard.press("Escape")
    await expect.poll(() => confirm.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("history-row__delete"))).toBe(true)
    expect(await page.locator(".history-row").count()).toBe(3)

    // Cancelled and asked again in one go (a quick hand): the first close, which lands late, does not close the second.
    await page.keyboard.press("Enter")
    await confirm.waitFor()
    await page.evaluate((id) => {
      document.querySelector<HTMLButtonElement>("dialog.confirm-dialog[open] .button--ghost")!.click()
      document.querySelector<HTMLButtonElement>(`.history-row[data-assessment="${id}"] .history-row__delete`)!.click()
      return new Promise((settled) => setTimeout(settled, 200))
    }, newer)
    expect(await confirm.count()).toBe(1)
    await page.keyboard.press("Escape")
    await expect.poll(() => confirm.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("history-row__delete"))).toBe(true)

    // The request fails: an error toast, the row stays, focus back on its button.
    await page.route(`**/api/v1/assessments/${newer}`, (route) =>
      route.request().method() === "DELETE" ? route.abort("connectionrefused") : route.continue()
    )
    await page.keyboard.press("Enter")
    await confirm.waitFor()
    await page.keyboard.press("Tab")
    await expect.poll(() => focused(page)).toBe("Delete")
    await page.keyboard.press("Enter")
    await page.locator('.toast[data-kind="error"] .toast__title', { hasText: "Can't reach Compilar" }).waitFor()
    await expect.poll(() => confirm.count()).toBe(0)
    expect(await page.locator(".history-row").count()).toBe(3)
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest(".history-row")?.getAttribute("data-assessment")), { timeout: 10_000 }).toBe(newer)
    expect((await detailOf(learner, newer)).status).toBe("completed")
    await page.unroute(`**/api/v1/assessments/${newer}`)

    // Confirmed: gone from the server and the list at once, a toast, focus on the row that took its place.
    await page.keyboard.press("Enter")
    await confirm.waitFor()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await page.locator('.toast[data-kind="success"] .toast__title', { hasText: "Assessment deleted" }).waitFor()
    await expect.poll(() => page.locator(".history-row").count(), { timeout: 10_000 }).toBe(2)
    expect(await page.locator(`.history-row[data-assessment="${newer}"]`).count()).toBe(0)
    await expect.poll(() => focused(page), { timeout: 10_000 }).toBe(older)
    await gone(newer)
    expect(await page.locator(".history__end").textContent()).toContain("2 assessments")
    await page.screenshot({ path: join(resultsDir, "assess-delete-done.png"), fullPage: true })

    // Progress, reached without a reload, counts one completed fewer.
    await page.locator(".subnav").getByRole("link", { name: "Progress" }).click()
    await page.waitForURL(`${app().url}/progress`)
    await expect.poll(() => glance(page).then((g) => g.slice(0, 2)), { timeout: 10_000 }).toEqual(["1", "1"])
    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true)

    // From the results page (by mouse): the confirmation, then the history without it.
    await page.goto(`${app().url}/assess/${older}/results`)
    await page.locator(".results-score__number").waitFor()
    await page.evaluate(() => Object.assign(window, { notReloaded: true }))
    await page.getByRole("button", { name: "Delete this assessment" }).click()
    await confirm.waitFor()
    await page.screenshot({ path: join(resultsDir, "assess-delete-results.png") })
    await confirm.getByRole("button", { name: "Delete" }).click()
    await page.waitForURL(`${app().url}/history`)
    await page.locator(".toast__title", { hasText: "Assessment deleted" }).waitFor()
    await expect.poll(() => page.locator(".history-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-assessment"))), { timeout: 10_000 }).toEqual([open])
    await gone(older)

    // Deleted elsewhere meanwhile: said so, and gone from the list too; the last one leaves the empty state, focus on the heading.
    await learner.api.del(`/api/v1/assessments/${open}`)
    await deleteButton(open).click()
    await confirm.getByRole("button", { name: "Delete" }).click()
    await page.locator('.toast[data-kind="info"] .toast__title', { hasText: "Already deleted" }).waitFor()
    await page.getByRole("heading", { name: "No assessments yet" }).waitFor()
    await expect.poll(() => focused(page), { timeout: 10_000 }).toBe("page-title")
    await page.locator(".subnav").getByRole("link", { name: "Progress" }).click()
    await page.getByRole("heading", { name: "Nothing to show yet" }).waitFor()

    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true)
    expect(
      unexpected(problems, [
        // The refused DELETE and the 404 of the one deleted elsewhere, both on purpose.
        new RegExp(`requestfailed: DELETE .*/api/v1/assessments/${newer} net::ERR_CONNECTION_REFUSED`),
        /console: Failed to load resource: net::ERR_CONNECTION_REFUSED/,
        /console: Failed to load resource: the server responded with a status of 404/
      ])
    ).toEqual([])
  }, 180_000)

  it("resumes at the first open statement after a reload, and on a phone", async () => {
    const context = await newContext(viewports.phone)
    const learner = await signUpLearner(context, app().url)
    const id = await assessmentWith(learner, { q01: 3, q02: 4, q03: 2 })
    const page = await context.newPage()
    const problems = watchProblems(page)

    await page.goto(`${app().url}/assess/${id}`)
    await waitForStatement(page, 4)
    expect(await page.locator('.quiz-steps__dot.is-answered').count()).toBe(3)
    await option(page, 5).click()
    await waitForStatement(page, 5)
    await allSaved(page)
    await page.screenshot({ path: join(resultsDir, "assess-quiz-phone.png"), fullPage: true })

    await page.reload()
    await waitForStatement(page, 5)
    expect((await detailOf(learner, id)).answers).toEqual({ q01: 3, q02: 4, q03: 2, q04: 5 })

    // The deck offers it to resume.
    await page.goto(`${app().url}/assess`)
    await page.locator(`.resume-item[href="/assess/${id}"]`).click()
    await waitForStatement(page, 5)
    expect(problems).toEqual([])
  }, 120_000)

  it("two tabs on one quiz stay consistent: each sees the other's answers; the last write wins", async () => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url)
    const id = await assessmentWith(learner, {})
    const a = await context.newPage()
    const b = await context.newPage()
    const problemsA = watchProblems(a)
    const problemsB = watchProblems(b)

    await a.goto(`${app().url}/assess/${id}`)
    await b.goto(`${app().url}/assess/${id}`)
    await waitForStatement(a, 1)
    await waitForStatement(b, 1)

    // Tab A answers 1 and 2: tab B, waiting on statement 1, moves on to 3.
    await option(a, 2).click()
    await waitForStatement(a, 2)
    await option(a, 3).click()
    await waitForStatement(a, 3)
    await waitForStatement(b, 3)
    expect(await b.locator(".quiz-steps__dot.is-answered").count()).toBe(2)

    // Tab B answers 3: tab A moves on to 4.
    await option(b, 5).click()
    await waitForStatement(a, 4)

    // Tab A goes back and changes statement 1; tab B later changes it again: the last write wins.
    await a.keyboard.press("ArrowLeft")
    await a.keyboard.press("ArrowLeft")
    await a.keyboard.press("ArrowLeft")
    await waitForStatement(a, 1)
    await option(a, 4).click()
    await allSaved(a)
    await b.locator(".quiz-steps__dot").first().click()
    await waitForStatement(b, 1)
    await expect.poll(() => pressedValue(b)).toBe(4)
    await option(b, 1).click()
    await allSaved(b)
    await a.locator(".quiz-steps__dot").first().click()
    await waitForStatement(a, 1)
    await expect.poll(() => pressedValue(a)).toBe(1)

    // Another device answers statement 4; when tab A is focused again it reads the answers afresh.
    await learner.api.put(`/api/v1/assessments/${id}/answers/q04`, { value: 2 })
    await a.keyboard.press("ArrowRight")
    await a.keyboard.press("ArrowRight")
    await a.keyboard.press("ArrowRight")
    await waitForStatement(a, 4)
    await a.evaluate(() => window.dispatchEvent(new Event("focus")))
    await waitForStatement(a, 5)

    expect((await detailOf(learner, id)).answers).toEqual({ q01: 1, q02: 3, q03: 5, q04: 2 })
    await a.screenshot({ path: join(resultsDir, "assess-two-tabs-a.png"), fullPage: true })
    await b.screenshot({ path: join(resultsDir, "assess-two-tabs-b.png"), fullPage: true })
    expect([...problemsA, ...problemsB]).toEqual([])
  }, 120_000)

  it("network cut while answering: queued offline, saved on reconnect; a lost response is retried with the same key and lands once", async () => {
    const context = await newContext()
    const learner = await signUpLearner(context, app().url)
    const id = await assessmentWith(learner, { q01: 3 })
    const page = await context.newPage()
    const problems = watchProblems(page)

    await page.goto(`${app().url}/assess/${id}`)
    await waitForStatement(page, 2)

    // Offline: the answers are kept on this device (and survive in localStorage), shown as queued.
    await context.setOffline(true)
    await option(page, 4).click()
    await waitForStatement(page, 3)
    await option(page, 2).click()
    await waitForStatement(page, 4)
    await page.locator('.quiz-header__saving[data-state="offline"]').waitFor()
    expect(await page.locator(".quiz-header__saving").textContent()).toContain("2 answers kept on this device")
    await page.locator(".toast__title", { hasText: "You're offline" }).waitFor()
    const stored = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("compilar.answers.")).map((k) => JSON.parse(localStorage.getItem(k)!))
    )
    expect(stored.flat().map((a: { questionId: string; value: number }) => [a.questionId, a.value])).toEqual([
      ["q02", 4],
      ["q03", 2]
    ])
    await page.screenshot({ path: join(resultsDir, "assess-offline.png"), fullPage: true })
    expect((await detailOf(learner, id)).answers).toEqual({ q01: 3 })

    // Back online: both land, the queue empties, the learner is told.
    await context.setOffline(false)
    await allSaved(page)
    await page.locator(".toast__title", { hasText: "All answers saved" }).waitFor()
    expect((await detailOf(learner, id)).answers).toEqual({ q01: 3, q02: 4, q03: 2 })
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("compilar.answers.")))).toEqual([])

    // The answer reaches the server but its response is lost: the retry carries the same key.
    const keys: Array<string> = []
    let cut = false
    await page.route(`**/api/v1/assessments/${id}/answers/q04`, async (route) => {
      keys.push(route.request().headers()["idempotency-key"] ?? "")
      if (!cut) {
        cut = true
        await route.fetch()
        return route.abort("connectionreset")
      }
      return route.continue()
    })
    await option(page, 5).click()
    await waitForStatement(page, 5)
    await allSaved(page)
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(keys[1]).toBe(keys[0])
    expect((await detailOf(learner, id)).answers).toEqual({ q01: 3, q02: 4, q03: 2, q04: 5 })

    // The server replays the original response for that key and changes nothing.
    const replay = await learner.api.put<{ questionId: string; value: number }>(
      `/api/v1/assessments/${id}/answers/q04`,
      { value: 5 },
      { "idempotency-key": keys[0]! }
    )
    expect(replay).toEqual({ questionId: "q04", value: 5 })

    expect(
      unexpected(problems, [
        /ERR_INTERNET_DISCONNECTED/,
        /ERR_CONNECTION_RESET/,
        /ERR_FAILED/,
        /requestfailed: PUT .*\/answers\/q0[234]/
      ])
    ).toEqual([])
  }, 120_000)
})
