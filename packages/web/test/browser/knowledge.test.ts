import { pillarsOf } from "@compilar/domain"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * The knowledge page against the real server and its seeded corpus: a question finds its passage
 * with the words marked, a filter narrows every result and lives in the URL (reload, Back), an
 * over-long query shows the contract's validation message at the field, `?open=` highlights a
 * passage, desktop and phone.
 */

const passages = (page: Page) => page.locator(".passage-list .passage[data-chunk]")

const chipValues = (page: Page, kind: "mode" | "pillar" | "category") =>
  page
    .locator(`.passage-list .passage [data-kind=${kind}]`)
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-value")))

const search = async (page: Page, q: string) => {
  await page.getByLabel("Ask a question or search for a topic").fill(q)
  await page.keyboard.press("Enter")
}

describe.runIf(browserTestsRun)("knowledge (browser)", () => {
  const { app, browser } = useAppAndBrowser("knowledge")

  it("searches, marks the words, filters by mode in the URL, reloads, goes Back, no console errors", async () => {
    const page = await browser().newPage({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    // Before a search: example questions.
    await page.goto(`${app().url}/knowledge`)
    await page.getByRole("heading", { name: "Not sure where to start?" }).waitFor()
    expect(await page.locator(".suggestion").count()).toBeGreaterThanOrEqual(3)
    await page.screenshot({ path: join(resultsDir, "knowledge-empty.png"), fullPage: true })

    // A question, submitted with Enter: the Scapegoating connection, with the word marked.
    await search(page, "what does scapegoating mean")
    await page.waitForURL(/[?&]q=what\+does\+scapegoating\+mean/)
    const scapegoating = passages(page).filter({ has: page.locator(".passage__title", { hasText: "Scapegoating" }) })
    await scapegoating.first().waitFor()
    expect(await scapegoating.first().locator(".passage__title mark").first().textContent()).toMatch(/^scapegoat/i)
    expect(await page.locator(".passage-list mark").count()).toBeGreaterThan(0)
    expect(await page.getByRole("status").filter({ hasText: /passages? found/ }).count()).toBe(1)
    // Scores in small print.
    expect(await passages(page).first().locator(".passage__scores").textContent()).toMatch(
      /^semantic (\d\.\d\d|—) · keyword (\d\.\d\d|—)$/
    )
    await page.screenshot({ path: join(resultsDir, "knowledge.png"), fullPage: true })

    // A mode filter: every result is hierarchical (or spans both modes), and the URL says so.
    await search(page, "who makes the decisions")
    await passages(page).first().waitFor()
    await page.getByLabel("Mode", { exact: true }).selectOption("hierarchical")
    await page.waitForURL(/[?&]mode=hierarchical/)
    await page.locator('.passage-list .passage [data-kind=mode][data-value="hierarchical"]').first().waitFor()
    await expect.poll(() => page.locator(".knowledge-body[aria-busy=true]").count()).toBe(0)
    const modes = await chipValues(page, "mode")
    expect(modes.length).toBeGreaterThan(0)
    expect(modes.every((m) => m === "hierarchical")).toBe(true)

    // The pillar filter now only offers hierarchical pillars; choose Status.
    const offered = await page
      .getByLabel("Pillar", { exact: true })
      .locator("option")
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v))
    expect(offered).toEqual(pillarsOf("hierarchical").map((p) => p.id))
    await page.getByLabel("Pillar", { exact: true }).selectOption("status")
    await page.waitForURL(/[?&]pillar=status/)
    await expect.poll(() => chipValues(page, "pillar").then((ps) => ps.length > 0 && ps.every((p) => p === "status"))).toBe(true)
    expect((await chipValues(page, "pillar")).length).toBe(await passages(page).count())

    // Reload: the search and its filters come back from the URL.
    await page.reload()
    await passages(page).first().waitFor()
    expect(await page.getByLabel("Ask a question or search for a topic").inputValue()).toBe("who makes the decisions")
    expect(await page.getByLabel("Mode", { exact: true }).inputValue()).toBe("hierarchical")
    expect(await page.getByLabel("Pillar", { exact: true }).inputValue()).toBe("status")
    expect((await chipValues(page, "pillar")).every((p) => p === "status")).toBe(true)

    // Back: the unfiltered (mode-only) search.
    await page.goBack()
    await page.waitForURL((url) => !url.searchParams.has("pillar") && url.searchParams.get("mode") === "hierarchical")
    await expect.poll(() => page.getByLabel("Pillar", { exact: true }).inputValue()).toBe("")
    await expect.poll(() => chipValues(page, "mode").then((ms) => ms.length > 0 && ms.every((m) => m === "hierarchical"))).toBe(true)

    expect(problems).toEqual([])
    await page.close()
  }, 90_000)

  it("shows the server's validation message at the field for an over-long query", async () => {
    const page = await browser().newPage({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    // What the server itself answers for 2,001 characters.
    const response = await fetch(`${app().url}/api/v1/rag/query`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "x".repeat(2001) })
    })
    expect(response.status).toBe(400)
    const envelope = (await response.json()) as { error: { code: string; details: Array<{ path: string; message: string }> } }
    expect(envelope.error.code).toBe("validation_failed")
    const serverMessage = envelope.error.details.find((d) => d.path === "query")?.message
    expect(serverMessage).toBeTruthy()

    await page.goto(`${app().url}/knowledge`)
    await search(page, "x".repeat(2001))
    const error = page.locator("#knowledge-q-error")
    await error.waitFor()
    expect((await error.textContent())?.trim()).toBe(serverMessage)
    const input = page.getByLabel("Ask a question or search for a topic")
    expect(await input.getAttribute("aria-invalid")).toBe("true")
    expect(await input.getAttribute("aria-describedby")).toBe("knowledge-q-error")
    await page.screenshot({ path: join(resultsDir, "knowledge-invalid.png") })

    // Fixing the query clears the message.
    await search(page, "what does scapegoating mean")
    await passages(page).first().waitFor()
    expect(await error.count()).toBe(0)

    expect(problems).toEqual([])
    await page.close()
  }, 60_000)

  it("opens a passage from ?open= and fits a phone", async () => {
    const page = await browser().newPage({ viewport: viewports.phone, isMobile: true, hasTouch: true, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    await page.goto(`${app().url}/knowledge?q=what+does+scapegoating+mean&open=connection:ecp-04`)
    const opened = page.locator(".passage.is-open")
    await opened.waitFor()
    expect(await opened.getAttribute("data-chunk")).toBe("connection:ecp-04")
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-chunk"))).toBe("connection:ecp-04")

    // No horizontal scrolling.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)

    // The opened passage as the reader lands on it, then the top of the page.
    await page.screenshot({ path: join(resultsDir, "knowledge-phone-open.png") })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: join(resultsDir, "knowledge-phone.png") })

    expect(problems).toEqual([])
    await page.close()
  }, 60_000)
})
