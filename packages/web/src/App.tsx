import { A, type RouteSectionProps, useLocation } from "@solidjs/router"
import { createEffect, createSignal, ErrorBoundary, For, on, onCleanup, onMount, Suspense } from "solid-js"
import { AccountNav } from "./components/AccountNav.js"
import { ErrorFallback } from "./components/ErrorFallback.js"
import { Icon } from "./components/Icon.js"
import { ariaCurrentOf, navItems } from "./components/navigation.js"
import { PageLoading } from "./components/PageLoading.js"
import { ApiStatus } from "./features/health/ApiStatus.js"
import { describeError } from "./lib/errors.js"
import { run } from "./lib/runtime.js"
import { Session } from "./lib/session/Session.js"
import { type SessionNotice, sessionNotices } from "./lib/session/state.js"
import { toaster, Toaster } from "./lib/toast.js"

function Brand() {
  return (
    <A href="/" class="brand" end aria-label="Compilar home">
      <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" />
        <g>
          <rect x="7" y="8" width="3" height="16" rx="1.5" />
          <rect x="12.5" y="12" width="3" height="12" rx="1.5" />
          <rect x="18" y="10" width="3" height="14" rx="1.5" />
          <rect x="23.5" y="14" width="3" height="10" rx="1.5" />
        </g>
      </svg>
      <span class="brand__name">Compilar</span>
    </A>
  )
}

/** What the learner is told when the session changes without them asking. */
const announce = (notice: SessionNotice): void => {
  switch (notice._tag) {
    case "Expired":
      toaster.show("info", { key: "session", title: "Your session has ended", message: "Sign in again to continue." })
      return
    case "Reused":
      toaster.show("error", {
        key: "session",
        title: "Signed out for your safety",
        message: "Your sign-in was used in two places at once, so it was ended everywhere. Please sign in again."
      })
      return
    case "SignedOutElsewhere":
      toaster.show("info", { key: "session", title: "Signed out", message: "You signed out in another tab." })
      return
    case "RestoreFailed":
      toaster.show("error", {
        key: "session",
        title: "Couldn't check your sign-in",
        message: describeError(notice.error).message
      })
  }
}

/** The layout around every route: skip link, header + nav, main (ErrorBoundary + Suspense), footer, toasts. */
export function App(props: RouteSectionProps) {
  const location = useLocation()
  const [menuOpen, setMenuOpen] = createSignal(false)
  let main: HTMLElement | undefined

  // A new page: close the phone menu and move focus to the content, as a full page load would.
  createEffect(
    on(
      () => location.pathname,
      () => {
        setMenuOpen(false)
        main?.focus({ preventScroll: true })
      },
      { defer: true }
    )
  )

  // Signed in before this load? The refresh cookie says so (Session.restore); toasts for what follows.
  onCleanup(sessionNotices.subscribe(announce))
  onMount(() => void run(Session.restore))

  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && menuOpen()) {
        setMenuOpen(false)
        document.getElementById("nav-toggle")?.focus()
      }
    }
    document.addEventListener("keydown", onKey)
    onCleanup(() => document.removeEventListener("keydown", onKey))
  })

  const skipToContent = (event: MouseEvent) => {
    event.preventDefault()
    main?.focus()
    main?.scrollIntoView()
  }

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={skipToContent}>
        Skip to content
      </a>
      <header class="site-header">
        <div class="container site-header__inner">
          <Brand />
          <button
            id="nav-toggle"
            type="button"
            class="nav-toggle"
            aria-expanded={menuOpen()}
            aria-controls="site-nav"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <Icon name={menuOpen() ? "close" : "menu"} />
            <span class="visually-hidden">{menuOpen() ? "Close menu" : "Open menu"}</span>
          </button>
          <nav id="site-nav" class="site-nav" classList={{ "is-open": menuOpen() }} aria-label="Main">
            <ul class="site-nav__list">
              <For each={navItems}>
                {(item) => {
                  // A plain link (the router still handles the click): `<A>` sets aria-current on its exact path only.
                  const current = () => ariaCurrentOf(item, location.pathname)
                  return (
                    <li>
                      <a
                        href={item.href}
                        class="site-nav__link"
                        classList={{ "is-active": current() !== undefined }}
                        aria-current={current()}
                      >
                        <Icon name={item.icon} />
                        <span>{item.label}</span>
                      </a>
                    </li>
                  )
                }}
              </For>
            </ul>
            <AccountNav />
          </nav>
        </div>
      </header>

      <main id="main" class="site-main" tabindex="-1" ref={main}>
        <ErrorBoundary fallback={(error, reset) => <ErrorFallback error={error} reset={reset} />}>
          <Suspense fallback={<PageLoading />}>{props.children}</Suspense>
        </ErrorBoundary>
      </main>

      <footer class="site-footer">
        <div class="container site-footer__inner">
          <p class="site-footer__brand">
            <strong>Compilar</strong> — coaching for group dynamics, built on the PILAR framework.
          </p>
          <ApiStatus />
        </div>
      </footer>
      <Toaster />
    </div>
  )
}
