import { pillarsOf } from "@compilar/domain"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * The catalogue against the real server: the built app served by packages/server, the footer's
 * health read through the typed client, the mode switch, the detail dialog, desktop and phone.
 */

// Facts from PILAR.md, in acronym order (P, I, L, A, R).
const egalitarian = ["grpprosp", "indrecip", "popularity", "divsexp", "outresp"]
const hierarchical = ["ownprosp", "dirrecip", "status", "normexp", "incresp"]
const titles = (mode: "egalitarian" | "hierarchical") => pillarsOf(mode).map((p) => p.title)

const shownPillars = (page: Page) =>
  page.locator(".pillar-grid article[data-pillar]").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-pillar")))

const shownTitles = (page: Page) => page.locator(".pillar-grid .pillar-card__title").allTextContents()

describe.runIf(browserTestsRun)("catalogue (browser)", () => {
  const { app, browser } = useAppAndBrowser("catalogue")

  it("shows the egalitarian pillars, switches to hierarchical, opens details, no console errors", async () => {
    const page = await browser().newPage({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    await page.goto(`${app().url}/`)
    await page.locator(".pillar-grid article[data-pillar]").first().waitFor()
    expect(await shownPillars(page)).toEqual(egalitarian)
    expect(await shownTitles(page)).toEqual(titles("egalitarian"))
    await expect(page.getByRole("radio", { name: "Egalitarian" }).isChecked()).resolves.toBe(true)

    // Each card: dimension letter, abbreviation, four forces.
    const first = page.locator("article[data-pillar=grpprosp]")
    expect(await first.locator(".pillar-card__letter").textContent()).toBe("P")
    expect(await first.locator("abbr").textContent()).toBe("GrpProsp")
    expect(await first.locator(".force-list__item").count()).toBe(4)

    // The footer reads GET /health through the typed client.
    await page.getByTestId("api-status").filter({ hasText: /^API ok · v/ }).waitFor({ timeout: 15_000 })

    // The full page at rest, for people to look at.
    await page.screenshot({ path: join(resultsDir, "catalogue.png"), fullPage: true })

    // Switch mode: the URL says so and the hierarchical pillars replace the egalitarian ones.
    await page.getByRole("radio", { name: "Hierarchical" }).check()
    await page.waitForURL(/[?&]mode=hierarchical/)
    await page.locator("article[data-pillar=ownprosp]").waitFor()
    expect(await shownPillars(page)).toEqual(hierarchical)
    expect(await shownTitles(page)).toEqual(titles("hierarchical"))

    // Details of Status, then its counterpart in the other mode.
    await page.locator("[data-open-pillar=status]").click()
    const dialog = page.getByRole("dialog")
    await dialog.waitFor()
    expect(await dialog.getByRole("heading", { level: 2 }).textContent()).toContain("Status")
    expect(await dialog.locator(".looks-like").count()).toBe(2)
    expect(await dialog.locator(".questions li").count()).toBeGreaterThan(0)
    await page.waitForURL(/[?&]pillar=status/)
    await page.screenshot({ path: join(resultsDir, "catalogue-details.png") })

    await dialog.locator(".counterpart__link").click()
    await page.waitForURL(/[?&]mode=egalitarian/)
    await dialog.getByRole("heading", { level: 2, name: /Popularity/ }).waitFor()
    await page.keyboard.press("Escape")
    await dialog.waitFor({ state: "hidden" })
    expect(await shownPillars(page)).toEqual(egalitarian)

    // A reload keeps the mode (it lives in the URL), and an unknown route shows the 404 page.
    await page.goto(`${app().url}/?mode=hierarchical`)
    await page.locator("article[data-pillar=incresp]").waitFor()
    await page.goto(`${app().url}/no/such/page`)
    await page.getByRole("heading", { name: "Page not found" }).waitFor()

    expect(problems).toEqual([])
    await page.close()
  }, 60_000)

  it("fits a phone: the nav collapses behind a menu button", async () => {
    const page = await browser().newPage({ viewport: viewports.phone, isMobile: true, hasTouch: true, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    await page.goto(`${app().url}/?mode=egalitarian`)
    await page.locator("article[data-pillar=outresp]").waitFor()
    expect(await shownPillars(page)).toEqual(egalitarian)

    // No horizontal scrolling.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)

    const nav = page.getByRole("navigation", { name: "Main" })
    expect(await nav.isVisible()).toBe(false)
    const toggle = page.getByRole("button", { name: "Open menu" })
    await toggle.click()
    await nav.waitFor({ state: "visible" })
    await page.keyboard.press("Escape")
    await nav.waitFor({ state: "hidden" })

    await page.getByTestId("api-status").filter({ hasText: /^API ok · v/ }).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: join(resultsDir, "catalogue-phone.png"), fullPage: true })

    expect(problems).toEqual([])
    await page.close()
  }, 60_000)
})
