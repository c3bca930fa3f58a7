import { existsSync } from "node:fs"
import { type Browser, chromium, type ConsoleMessage, type Page } from "playwright-core"

/** Debian's Chromium, headless, with everything that would reach for the (closed) network turned off. */
export const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"

/**
 * Browser tests need a Chromium on the machine (Debian's `chromium`; no browser can be
 * downloaded here). CI installs it and must run them; elsewhere they are skipped with a note.
 */
export const browserTestsRun = existsSync(chromiumPath) || process.env["CI"] === "true"
if (!browserTestsRun) {
  console.info(`[browser tests] skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`)
}

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 }
} as const

/**
 * Collects console errors, uncaught exceptions and failed requests of a page (a CSP violation shows
 * up as a console error), so a test can assert that a journey produced none.
 */
export const watchProblems = (page: Page): Array<string> => {
  const problems: Array<string> = []
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`)
  })
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`))
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? ""
    // ERR_ABORTED: the page navigated away while it was loading (a favicon, say), not a fault.
    if (!reason.includes("ERR_ABORTED")) problems.push(`requestfailed: ${request.method()} ${request.url()} ${reason}`)
  })
  return problems
}
