import { passwordProblem } from "@compilar/domain"
import { join } from "node:path"
import type { Browser, BrowserContextOptions, Page } from "playwright-core"
import { describe, expect, it } from "vitest"
import { resultsDir } from "./support/app.js"
import { browserTestsRun, viewports, watchProblems } from "./support/browser.js"
import { useAppAndBrowser } from "./support/session.js"

/**
 * Accounts in the browser against the real server: a protected page sends a signed-out visitor
 * to sign in and back; sign up (with inline validation first), sign out, sign in (a wrong
 * password first), reload and stay signed in, reach the protected pages; two tabs that reload
 * together both stay signed in (one refresh at a time across tabs) and follow each other's
 * sign-out. No token in storage, no console errors but the expected 401 of the wrong password.
 */

const password = "Quiet-harbour-1987"
let accounts = 0
const newEmail = () => `learner-${Date.now()}-${++accounts}@example.com`

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" })

const pathAndQuery = (page: Page) => {
  const url = new URL(page.url())
  return `${url.pathname}${url.search}`
}

/** A 4xx answer the journey asks for on purpose: Chromium logs every one as a console error. */
const expectedStatus = (status: number) =>
  `console: Failed to load resource: the server responded with a status of ${status} (${status === 401 ? "Unauthorized" : "Conflict"})`

const signUp = async (page: Page, name: string, email: string) => {
  await page.getByLabel("Your name").fill(name)
  await page.getByLabel("Email", { exact: true }).fill(email)
  await page.getByLabel("Password", { exact: true }).fill(password)
  await page.getByRole("button", { name: "Create account" }).click()
}

const signIn = async (page: Page, email: string, secret: string) => {
  await page.getByLabel("Email", { exact: true }).fill(email)
  await page.getByLabel("Password", { exact: true }).fill(secret)
  await page.getByRole("button", { name: "Sign in", exact: true }).click()
}

const toast = (page: Page, title: string) => page.locator(".toast__title", { hasText: title })

/** A fresh browser profile (its own cookies and storage); waits are generous on a busy machine. */
const newContext = async (browser: Browser, options: BrowserContextOptions) => {
  const context = await browser.newContext({ reducedMotion: "reduce", ...options })
  context.setDefaultTimeout(60_000)
  return context
}

describe.runIf(browserTestsRun)("accounts (browser)", () => {
  // Many sign-ins from one address in a minute; the limit itself is tested on the server.
  const { app, browser } = useAppAndBrowser("account", { env: { RATE_LIMIT_SIGNIN_PER_MINUTE: "1000", RATE_LIMIT_SIGNIN_ACCOUNT_PER_MINUTE: "1000" } })

  it("signs up, signs out, signs in, reloads, and reaches the protected pages", async () => {
    const context = await newContext(browser(), { viewport: viewports.desktop })
    const page = await context.newPage()
    const problems = watchProblems(page)
    const email = newEmail()

    // Signed out, a protected page leads to sign in, remembering where the learner was going.
    await page.goto(`${app().url}/history`)
    await page.waitForURL((url) => url.pathname === "/signin")
    expect(pathAndQuery(page)).toBe("/signin?next=%2Fhistory")
    await page.getByRole("heading", { name: "Sign in to Compilar" }).waitFor()
    expect(await nav(page).getByRole("link", { name: "Sign in" }).count()).toBe(1)
    await page.screenshot({ path: join(resultsDir, "signin.png"), fullPage: true })

    // To sign up, keeping `next`.
    await page.getByRole("link", { name: "Create an account" }).click()
    await page.waitForURL((url) => url.pathname === "/signup")
    expect(pathAndQuery(page)).toBe("/signup?next=%2Fhistory")

    // Inline validation, before anything is sent: the domain's own password rule, tied to the field.
    await page.getByLabel("Your name").fill("Ada Lovelace")
    await page.getByLabel("Email", { exact: true }).fill("ada@")
    await page.getByLabel("Password", { exact: true }).fill("short")
    await page.getByLabel("Your name").focus()
    const passwordInput = page.getByLabel("Password", { exact: true })
    await expect.poll(() => passwordInput.getAttribute("aria-invalid")).toBe("true")
    expect(await page.locator("#signup-password-error").textContent()).toBe(passwordProblem("short"))
    expect(await passwordInput.getAttribute("aria-describedby")).toBe("signup-password-hint signup-password-error")
    expect(await page.locator("#signup-email-error").textContent()).toBe(
      "Enter a valid email address, like name@example.com"
    )
    // Submitting an invalid form sends nothing and puts the focus on the first wrong field.
    await page.getByRole("button", { name: "Create account" }).click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("signup-email")
    await page.screenshot({ path: join(resultsDir, "signup-invalid.png"), fullPage: true })

    // A good account: signed in, and on to where the learner was going.
    await signUp(page, "Ada Lovelace", email)
    await page.waitForURL((url) => url.pathname === "/history")
    await page.getByRole("heading", { name: "Your assessments, over time" }).waitFor()
    await toast(page, "Account created").waitFor()
    await nav(page).getByRole("link", { name: /Your account: Ada Lovelace/ }).waitFor()

    // The access token is in memory only; the refresh token in an httpOnly cookie scripts cannot read.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
    expect(stored).not.toMatch(/eyJ|token/i)
    expect(await page.evaluate(() => document.cookie)).not.toContain("compilar_refresh")
    const cookie = (await context.cookies()).find((c) => c.name === "compilar_refresh")
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/v1/auth" })

    // Sign out from the navigation: home, signed out, told so.
    await nav(page).getByRole("button", { name: "Sign out" }).click()
    await page.waitForURL((url) => url.pathname === "/")
    await toast(page, "Signed out").waitFor()
    await nav(page).getByRole("link", { name: "Sign in" }).waitFor()
    expect((await context.cookies()).some((c) => c.name === "compilar_refresh")).toBe(false)

    // The account page is protected too; a wrong password first.
    await page.goto(`${app().url}/account`)
    await page.waitForURL((url) => url.pathname === "/signin")
    expect(pathAndQuery(page)).toBe("/signin?next=%2Faccount")
    await signIn(page, email, "Wrong-password-123")
    const alert = page.locator(".form-alert")
    await alert.waitFor()
    expect(await alert.textContent()).toBe("The email or password is incorrect.")
    expect(await alert.getAttribute("role")).toBe("alert")
    await toast(page, "Couldn't sign you in").waitFor()

    await signIn(page, email, password)
    await page.waitForURL((url) => url.pathname === "/account")
    await page.getByRole("heading", { name: "Your account" }).waitFor()
    await page.locator(".account__email", { hasText: email }).waitFor()
    await toast(page, "Signed in").waitFor()
    expect(await toast(page, "Couldn't sign you in").count()).toBe(0)
    await page.screenshot({ path: join(resultsDir, "account.png"), fullPage: true })

    // A reload keeps the learner signed in (the cookie restores the session) on the protected page.
    await page.reload()
    await page.locator(".account__email", { hasText: email }).waitFor()
    expect(pathAndQuery(page)).toBe("/account")
    await nav(page).getByRole("link", { name: /Your account: Ada Lovelace/ }).waitFor()

    // And on to the other protected pages through the navigation.
    await nav(page).getByRole("link", { name: "History" }).click()
    await page.getByRole("heading", { name: "Your assessments, over time" }).waitFor()
    await nav(page).getByRole("link", { name: "Assess" }).click()
    await page.getByRole("heading", { name: "See where your group stands" }).waitFor()
    expect(pathAndQuery(page)).toBe("/assess")

    // Signed in, the sign-in page sends the learner on.
    await page.goto(`${app().url}/signin?next=%2Fhistory`)
    await page.waitForURL((url) => url.pathname === "/history")

    expect(problems).toEqual([expectedStatus(401)])
    await context.close()
  }, 240_000)

  it("says an email is taken beside the field, and refuses to redirect off-site after signing in", async () => {
    const context = await newContext(browser(), { viewport: viewports.desktop })
    const page = await context.newPage()
    const problems = watchProblems(page)
    const email = newEmail()

    await page.goto(`${app().url}/signup`)
    await signUp(page, "Grace", email)
    await page.waitForURL((url) => url.pathname === "/")
    await nav(page).getByRole("button", { name: "Sign out" }).click()
    await nav(page).getByRole("link", { name: "Sign in" }).waitFor()

    await page.goto(`${app().url}/signup`)
    await signUp(page, "Grace again", email.toUpperCase())
    const emailError = page.locator("#signup-email-error")
    await emailError.waitFor()
    expect(await emailError.textContent()).toBe("An account with this email already exists.")
    expect(await page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBe("true")

    // `next` pointing at another site is ignored: home instead.
    await page.goto(`${app().url}/signin?next=${encodeURIComponent("//evil.example/steal")}`)
    await signIn(page, email, password)
    await page.waitForURL((url) => url.pathname === "/")
    expect(new URL(page.url()).origin).toBe(app().url)

    expect(problems).toEqual([expectedStatus(409)])
    await context.close()
  }, 180_000)

  it("keeps two tabs signed in when they reload together, and signs both out together", async () => {
    const context = await newContext(browser(), { viewport: viewports.desktop })
    const first = await context.newPage()
    const second = await context.newPage()
    const problems = [...watchProblems(first), ...watchProblems(second)]
    const email = newEmail()

    await first.goto(`${app().url}/signup?next=%2Faccount`)
    await signUp(first, "Tab Tester", email)
    await first.locator(".account__email", { hasText: email }).waitFor()
    await second.goto(`${app().url}/account`)
    await second.locator(".account__email", { hasText: email }).waitFor()

    // Both restore from the one cookie at the same moment. Each refresh is held on its way until
    // another one arrives (or for 5 s), so two tabs refreshing at once reach the server together
    // with the same cookie, and the second presentation of a replaced token counts as reuse,
    // which revokes the session. With one refresh at a time across tabs (a Web Lock) the second
    // tab only sends its refresh after the first one's answer replaced the cookie.
    let held: Array<() => void> = []
    await context.route("**/api/v1/auth/refresh", async (route) => {
      await new Promise<void>((release) => {
        held.push(release)
        if (held.length >= 2) {
          for (const go of held) go()
          held = []
        } else {
          setTimeout(() => {
            held = held.filter((go) => go !== release)
            release()
          }, 5_000)
        }
      })
      await route.continue()
    })
    for (let round = 0; round < 2; round++) {
      await Promise.all([first.reload(), second.reload()])
      await first.locator(".account__email", { hasText: email }).waitFor()
      await second.locator(".account__email", { hasText: email }).waitFor()
    }

    // Signing out in one tab signs the other out too, and it says why.
    await nav(first).getByRole("button", { name: "Sign out" }).click()
    await first.waitForURL((url) => url.pathname === "/")
    await second.waitForURL((url) => url.pathname === "/signin")
    expect(pathAndQuery(second)).toBe("/signin?next=%2Faccount")
    await toast(second, "Signed out").waitFor()
    expect(await second.locator(".toast__message", { hasText: "another tab" }).count()).toBe(1)

    expect(problems).toEqual([])
    await context.close()
  }, 180_000)

  it("fits a phone: the account pages and the menu", async () => {
    const context = await newContext(browser(), { viewport: viewports.phone, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    const problems = watchProblems(page)

    for (const path of ["/signin", "/signup"]) {
      await page.goto(`${app().url}${path}`)
      await page.locator(".auth-card").waitFor()
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(overflow, path).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(resultsDir, `${path.slice(1)}-phone.png`), fullPage: true })
    }

    await signUp(page, "Phone Person", newEmail())
    await page.waitForURL((url) => url.pathname === "/")
    await page.getByRole("button", { name: "Open menu" }).click()
    await nav(page).getByRole("button", { name: "Sign out" }).waitFor()
    await page.screenshot({ path: join(resultsDir, "account-menu-phone.png") })
    await nav(page).getByRole("link", { name: /Your account: Phone Person/ }).click()
    await page.getByRole("heading", { name: "Your account" }).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    // The address wraps after its "@" rather than inside a word: each part stays on one line.
    const linesPerPart = await page.locator(".account__email").evaluate((element) => {
      const range = document.createRange()
      return Array.from(element.childNodes)
        .filter((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? "").trim() !== "")
        .map((node) => {
          range.selectNodeContents(node)
          return range.getClientRects().length
        })
    })
    expect(linesPerPart).toEqual([1, 1])
    await page.screenshot({ path: join(resultsDir, "account-phone.png"), fullPage: true })

    expect(problems).toEqual([])
    await context.close()
  }, 180_000)
})
