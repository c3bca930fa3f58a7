import { createSignal, For, onCleanup, Show } from "solid-js"
import { describeError } from "./errors.js"
import { createToastStore, type Toast, type ToastStore } from "./toastStore.js"
import { Icon } from "../components/Icon.js"

/** The app's one toast queue. Anything may call it, inside or outside components. */
export const toaster: ToastStore = createToastStore()

/** The toast API for components: `const toast = useToast(); toast.success("Saved")`. */
export const useToast = (): ToastStore & { readonly fromError: (error: unknown, key?: string) => number } => ({
  ...toaster,
  fromError: (error, key) => toastError(error, key)
})

/** Shows an API failure (or any error) as an error toast with a friendly title and message. */
export const toastError = (error: unknown, key?: string): number => {
  const view = describeError(error)
  return toaster.show("error", {
    title: view.title,
    message: view.requestId ? `${view.message} (ref ${view.requestId})` : view.message,
    key
  })
}

const icons = { success: "check", error: "alert", info: "info" } as const

function ToastItem(props: { toast: Toast; store: ToastStore }) {
  return (
    <li
      class="toast"
      data-kind={props.toast.kind}
      onMouseEnter={() => props.store.pause(props.toast.id)}
      onMouseLeave={() => props.store.resume(props.toast.id)}
      onFocusIn={() => props.store.pause(props.toast.id)}
      onFocusOut={() => props.store.resume(props.toast.id)}
    >
      <span class="toast__icon" aria-hidden="true">
        <Icon name={icons[props.toast.kind]} />
      </span>
      <div class="toast__body">
        <p class="toast__title">
          <span class="visually-hidden">{props.toast.kind === "error" ? "Error: " : ""}</span>
          {props.toast.title}
        </p>
        <Show when={props.toast.message}>
          <p class="toast__message">{props.toast.message}</p>
        </Show>
      </div>
      <button
        type="button"
        class="toast__close"
        aria-label={`Dismiss notification: ${props.toast.title}`}
        onClick={() => props.store.dismiss(props.toast.id)}
      >
        <Icon name="close" />
      </button>
    </li>
  )
}

/**
 * Renders the queue in a polite live region. The region is always in the DOM (screen readers
 * only announce changes to regions that already exist); Escape dismisses the newest toast.
 */
export function Toaster(props: { store?: ToastStore }) {
  const store = () => props.store ?? toaster
  const [toasts, setToasts] = createSignal<ReadonlyArray<Toast>>(store().list())
  const unsubscribe = store().subscribe(setToasts)
  onCleanup(unsubscribe)

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return
    const newest = toasts()[toasts().length - 1]
    if (newest) store().dismiss(newest.id)
  }

  return (
    <section class="toaster" aria-label="Notifications" onKeyDown={onKeyDown}>
      <div role="status" aria-live="polite" aria-relevant="additions text">
        <ol class="toaster__list">
          <For each={toasts()}>{(toast) => <ToastItem toast={toast} store={store()} />}</For>
        </ol>
      </div>
    </section>
  )
}
