import { createAsync, revalidate } from "@solidjs/router"
import { Either } from "effect"
import { createEffect, Show } from "solid-js"
import { config } from "../../lib/config.js"
import { toaster } from "../../lib/toast.js"
import { getHealth } from "./ApiStatus.data.js"

type Status =
  | { readonly state: "checking" }
  | { readonly state: "ok" | "degraded"; readonly version: string }
  | { readonly state: "unreachable" }

/**
 * The API's health in the footer ("API ok · v0.1.0"), fetched through the typed client. If the
 * API cannot be reached the app keeps working (the catalogue is bundled) and says so once.
 */
export function ApiStatus() {
  const health = createAsync(() => getHealth())

  const status = (): Status => {
    const result = health()
    if (result === undefined) return { state: "checking" }
    return Either.match(result, {
      onRight: (h) => ({ state: h.status, version: h.version }),
      onLeft: (e) => (e._tag === "ServiceUnavailable" ? { state: "degraded", version: "" } : { state: "unreachable" })
    })
  }

  createEffect(() => {
    const s = status()
    if (s.state === "unreachable") {
      toaster.show("error", {
        key: "api-health",
        title: "Can't reach the Compilar API",
        message: "You can keep browsing the pillars; assessments and coaching need the server."
      })
    }
  })

  const label = () => {
    const s = status()
    switch (s.state) {
      case "checking":
        return "Checking API…"
      case "ok":
        return `API ok · v${s.version}`
      case "degraded":
        return s.version ? `API degraded · v${s.version}` : "API degraded"
      case "unreachable":
        return "API unreachable"
    }
  }

  return (
    <div class="api-status">
      <span class="api-status__pill" data-state={status().state} aria-live="polite">
        <span class="api-status__dot" aria-hidden="true" />
        <span data-testid="api-status">{label()}</span>
      </span>
      <Show when={status().state === "unreachable"}>
        <button type="button" class="link-button" onClick={() => void revalidate(getHealth.key)}>
          Retry
        </button>
      </Show>
      <span class="api-status__web">Web v{config.webVersion}</span>
    </div>
  )
}
