import { connectionsOf, pillarsOf } from "@compilar/domain"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * The explorer against the real server: the graph of a mode (5 nodes, 20 directed edges, typed and
 * labelled), a connection opened by mouse and by keyboard, the selection in the URL (reload, Back),
 * the mode switch, the force matrix, desktop and phone.
 */

// Facts from PILAR.md, in acronym order (P, I, L, A, R).
const egalitarian = ["grpprosp", "indrecip", "popularity", "divsexp", "outresp"]
const hierarchical = ["ownprosp", "dirrecip", "status", "normexp", "incresp"]
const ids = (mode: "egalitarian" | "hierarchical") => connectionsOf(mode).map((c) => c.id as string)

const nodes = (page: Page) =>
  page.locator(".pilar-graph [data-node]").evaluateAll((els) => els.map((e) => e.getAttribute("data-node")))
const edges = (page: Page) =>
  page.locator(".pilar-graph [data-connection]").evaluateAll((els) => els.map((e) => e.getAttribute("data-connection")))
const panelTitle = (page: Page) => page.locator(".detail-panel h2")

/** The point halfway along an edge's arc, in page coordinates (a curve's box centre is off the stroke). */
const edgeMidpoint = (page: Page, id: string) =>
  page.locator(`[data-connection=${id}] .graph-edge__line`).evaluate((el) => {
    const path = el as SVGPathElement
    const p = path.getPointAtLength(path.getTotalLength() / 2)
    const m = path.getScreenCTM()!
    return { x: p.x * m.a + p.y * m.c + m.e, y: p.x * m.b + p.y * m.d + m.f }
  })

/** A full-page screenshot from the top, so sticky parts (header, detail panel) sit where a reader expects. */
const fullPage = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: join(resultsDir, name), fullPage: true })
}

/** Tabs forward until an element matching `selector` has focus (at most `max` presses). */
const tabUntil = async (page: Page, selector: string, max = 40) => {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab")
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return
  }
  throw new Error(`No element matching ${selector} took focus within ${max} Tab presses`)
}

describe.runIf(browserTestsRun)("explorer (browser)", () => {
  const { app, browser } = useAppAndBrowser("explorer")

  it("draws the graph, opens connections by mouse and keyboard, keeps the selection in the URL, switches mode", async () => {
    const page = await browser().newPage({ viewport: viewports.desktop, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    await page.goto(`${app().url}/explorer`)
    await page.locator(".pilar-graph [data-node]").first().waitFor()

    // Five pillars on the pentagon, twenty directed edges, typed as PILAR.md says (13 R, 5 I, 2 D).
    expect(await nodes(page)).toEqual(egalitarian)
    expect(await edges(page)).toEqual(ids("egalitarian"))
    expect(await page.locator("[data-connection][data-type=reinforce]").count()).toBe(13)
    expect(await page.locator("[data-connection][data-type=inverse]").count()).toBe(5)
    expect(await page.locator("[data-connection][data-type=discretionary]").count()).toBe(2)
    await expect(page.getByRole("radio", { name: "Egalitarian" }).isChecked()).resolves.toBe(true)

    // Every node and edge is a named, focusable button.
    const scapegoating = page.locator("[data-connection=ECP-04]")
    expect(await scapegoating.getAttribute("role")).toBe("button")
    expect(await scapegoating.getAttribute("tabindex")).toBe("0")
    expect(await scapegoating.getAttribute("aria-label")).toBe(
      "Scapegoating: Group Prospects to Outgoing Respect, reinforce, strength 0.85"
    )
    // Stronger connections are drawn wider.
    const width = (id: string) =>
      page.locator(`[data-connection=${id}] .graph-edge__line`).evaluate((e) => Number(e.getAttribute("stroke-width")))
    expect(await width("ECP-13")).toBeGreaterThan(await width("ECP-01"))

    // Hover: a tooltip with name, type and strength.
    const middle = await edgeMidpoint(page, "ECP-04")
    await page.mouse.move(middle.x, middle.y)
    const tooltip = page.getByRole("tooltip")
    await tooltip.waitFor()
    expect(await tooltip.textContent()).toContain("Scapegoating")
    expect(await tooltip.textContent()).toMatch(/Reinforce · strength 0\.85/)
    await page.screenshot({ path: join(resultsDir, "explorer-hover.png") })

    // Click: the detail panel shows the connection and its predicted effect; the URL says so.
    await page.mouse.click(middle.x, middle.y)
    await page.waitForURL(/[?&]select=connection(%3A|:)ECP-04/)
    await panelTitle(page).filter({ hasText: "Scapegoating" }).waitFor()
    const panel = page.locator(".detail-panel")
    expect(await panel.textContent()).toContain(
      "When Group Prospects rises, Outgoing Respect tends to rise (reinforce, 0.85)."
    )
    expect(await panel.locator(".route").textContent()).toMatch(/Group Prospects.*Outgoing Respect/)
    expect(await scapegoating.getAttribute("aria-pressed")).toBe("true")
    await page.mouse.move(5, 5)
    await fullPage(page, "explorer.png")

    // A reload restores the view from the URL.
    await page.reload()
    await panelTitle(page).filter({ hasText: "Scapegoating" }).waitFor()
    expect(await page.url()).toMatch(/[?&]mode=egalitarian/)

    // Keyboard: Tab from the mode switch into the graph, Enter opens the first edge; arrows move on.
    await page.getByRole("radio", { name: "Egalitarian" }).focus()
    await tabUntil(page, "[data-connection]")
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-connection"))).toBe("ECP-01")
    await page.keyboard.press("Enter")
    await page.waitForURL(/[?&]select=connection(%3A|:)ECP-01/)
    await panelTitle(page).filter({ hasText: "Discretionary" }).waitFor()
    expect(await panel.textContent()).toContain("Group Prospects rises, Indirect Reciprocity may rise or fall")
    await page.keyboard.press("ArrowRight")
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-connection"))).toBe("ECP-02")
    await page.keyboard.press(" ")
    await panelTitle(page).filter({ hasText: "Circle the Wagons" }).waitFor()
    expect(await panel.textContent()).toContain("When Group Prospects rises, Popularity tends to fall (inverse, 0.78).")
    await page.screenshot({ path: join(resultsDir, "explorer-keyboard.png") })

    // Back steps through the selections.
    await page.goBack()
    await panelTitle(page).filter({ hasText: "Discretionary" }).waitFor()

    // A pillar: description, forces, four outgoing and four incoming connections, each clickable.
    await page.locator("[data-node=outresp]").click()
    await panelTitle(page).filter({ hasText: "Outgoing Respect" }).waitFor()
    expect(await panel.locator(".connection-list").nth(0).locator("button").count()).toBe(4)
    expect(await panel.locator(".connection-list").nth(1).locator("button").count()).toBe(4)
    await page.mouse.move(5, 5)
    await page.screenshot({ path: join(resultsDir, "explorer-pillar.png") })
    await panel.locator("[data-select-connection=ECP-17]").click()
    await panelTitle(page).filter({ hasText: "Quality Street" }).waitFor()

    // Switch mode: hierarchical pillars, and the selection follows to the matching connection.
    await page.getByRole("radio", { name: "Hierarchical" }).check()
    await page.waitForURL(/[?&]mode=hierarchical/)
    await page.locator("[data-node=ownprosp]").waitFor()
    expect(await nodes(page)).toEqual(hierarchical)
    expect(await edges(page)).toEqual(ids("hierarchical"))
    const labels = await page.locator(".graph-node__label").allTextContents()
    expect(labels.join(" ")).toContain("Normative Expression")
    await panelTitle(page).filter({ hasText: "External Locus of Control" }).waitFor()
    await page.waitForURL(/[?&]select=connection(%3A|:)HCP-17/)

    // The matrix: five rows of four forces; a force opens with its signals and its pillar.
    expect(await page.locator(".force-matrix [data-matrix-pillar]").count()).toBe(5)
    expect(await page.locator(".force-matrix [data-force]").count()).toBe(20)
    const hierarchicalTitles = pillarsOf("hierarchical").map((p) => p.title)
    expect(await page.locator(".force-matrix__title").allTextContents()).toEqual(hierarchicalTitles)
    await page.locator("[data-force='status.formal-authority']").click()
    await page.waitForURL(/[?&]select=force(%3A|:)status\.formal-authority/)
    await panelTitle(page).filter({ hasText: "Formal Authority" }).waitFor()
    expect(await panel.textContent()).toContain("Status")
    await fullPage(page, "explorer-hierarchical.png")

    // The same view in dark mode, for people to look at.
    await page.emulateMedia({ colorScheme: "dark" })
    await fullPage(page, "explorer-dark.png")
    await page.emulateMedia({ colorScheme: "light" })

    // A shared link opens straight onto its selection, in the selection's mode.
    await page.goto(`${app().url}/explorer?select=pillar:divsexp`)
    await panelTitle(page).filter({ hasText: "Diverse Expression" }).waitFor()
    expect(await nodes(page)).toEqual(egalitarian)

    expect(problems).toEqual([])
    await page.close()
  }, 90_000)

  it("fits a phone: the graph scales down, the panel sits below it", async () => {
    const page = await browser().newPage({ viewport: viewports.phone, isMobile: true, hasTouch: true, reducedMotion: "reduce" })
    const problems = watchProblems(page)

    await page.goto(`${app().url}/explorer?mode=egalitarian&select=connection:ECP-04`)
    await page.locator("[data-node=outresp]").waitFor()
    expect(await nodes(page)).toEqual(egalitarian)
    expect(await edges(page)).toEqual(ids("egalitarian"))
    await panelTitle(page).filter({ hasText: "Scapegoating" }).waitFor()

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    const graphBox = await page.locator(".pilar-graph").boundingBox()
    const panelBox = await page.locator(".detail-panel").boundingBox()
    expect(graphBox!.width).toBeLessThanOrEqual(viewports.phone.width)
    expect(panelBox!.y).toBeGreaterThan(graphBox!.y + graphBox!.height)

    await page.locator(".explorer__graph").scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(resultsDir, "explorer-phone-graph.png") })

    // Tap a node: the pillar opens.
    await page.locator("[data-node=popularity] .graph-node__disc").tap()
    await panelTitle(page).filter({ hasText: "Popularity" }).waitFor()

    await fullPage(page, "explorer-phone.png")
    expect(problems).toEqual([])
    await page.close()
  }, 60_000)
})
