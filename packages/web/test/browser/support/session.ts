import { mkdirSync } from "node:fs"
import { join } from "node:path"
import type { Browser, BrowserContext } from "playwright-core"
import { afterAll, afterEach, beforeAll } from "vitest"
import { type AppServer, resultsDir, startApp, type StartOptions } from "./app.js"
import { launchBrowser, viewports } from "./browser.js"

export interface BrowserSession {
  /** The server, once `beforeAll` has started it. */
  readonly app: () => AppServer
  readonly browser: () => Browser
  /** A context closed after the test; a failing test leaves a picture of each of its pages. */
  readonly newContext: (viewport?: { readonly width: number; readonly height: number }) => Promise<BrowserContext>
}

/**
 * One server and one Chromium for a describe block: started before its tests (the server may
 * take minutes on a loaded machine), stopped after them. `options` may be a function, for a
 * server whose environment comes from something started earlier (an LLM fake). Failure
 * pictures are named `<name>-failure-<n>.png`.
 */
export const useAppAndBrowser = (
  name: string,
  options: StartOptions | (() => StartOptions) = {}
): BrowserSession => {
  let app: AppServer | undefined
  let browser: Browser | undefined
  const contexts: Array<BrowserContext> = []

  beforeAll(async () => {
    app = await startApp({ timeoutMs: 180_000, ...(typeof options === "function" ? options() : options) })
    browser = await launchBrowser()
    mkdirSync(resultsDir, { recursive: true })
  }, 240_000)

  afterEach(async (test) => {
    if (test.task.result?.state === "fail") {
      let n = 0
      for (const context of contexts) {
        for (const page of context.pages()) {
          await page.screenshot({ path: join(resultsDir, `${name}-failure-${++n}.png`), fullPage: true }).catch(() => undefined)
        }
      }
    }
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.stop()
  }, 30_000)

  return {
    app: () => app!,
    browser: () => browser!,
    newContext: async (viewport = viewports.desktop) => {
      const context = await browser!.newContext({ viewport, reducedMotion: "reduce" })
      contexts.push(context)
      return context
    }
  }
}
