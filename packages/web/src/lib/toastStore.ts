/**
 * The toast queue, free of any UI framework so it can be unit-tested with fake timers.
 * `toast.tsx` binds one instance to Solid and renders it in an accessible live region.
 */

export type ToastKind = "success" | "error" | "info"

export interface Toast {
  readonly id: number
  readonly kind: ToastKind
  readonly title: string
  readonly message?: string | undefined
  /** Milliseconds before it dismisses itself; 0 keeps it until dismissed. */
  readonly duration: number
}

export interface ToastInput {
  readonly title: string
  readonly message?: string | undefined
  readonly duration?: number | undefined
  /** Toasts with the same key replace each other instead of stacking (e.g. one "API unreachable"). */
  readonly key?: string | undefined
}

export interface ToastStore {
  readonly list: () => ReadonlyArray<Toast>
  readonly show: (kind: ToastKind, input: ToastInput) => number
  readonly success: (title: string, message?: string) => number
  readonly error: (title: string, message?: string) => number
  readonly info: (title: string, message?: string) => number
  readonly dismiss: (id: number) => void
  readonly clear: () => void
  /** Calls `listener` with the new list after every change; returns an unsubscribe function. */
  readonly subscribe: (listener: (toasts: ReadonlyArray<Toast>) => void) => () => void
  /** Stops the auto-dismiss timer while the pointer or focus is on a toast. */
  readonly pause: (id: number) => void
  readonly resume: (id: number) => void
}

export interface ToastStoreOptions {
  /** Default auto-dismiss delay per kind; errors stay longer so they can be read. */
  readonly durations?: Partial<Record<ToastKind, number>>
  /** At most this many toasts at once; the oldest goes first. */
  readonly max?: number
  readonly setTimer?: (f: () => void, ms: number) => unknown
  readonly clearTimer?: (handle: unknown) => void
}

export const defaultDurations: Record<ToastKind, number> = { success: 4000, info: 5000, error: 8000 }

export const createToastStore = (options: ToastStoreOptions = {}): ToastStore => {
  const durations = { ...defaultDurations, ...options.durations }
  const max = options.max ?? 4
  const setTimer = options.setTimer ?? ((f, ms) => globalThis.setTimeout(f, ms))
  const clearTimer = options.clearTimer ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>))

  let toasts: ReadonlyArray<Toast> = []
  let nextId = 1
  const keys = new Map<string, number>()
  const timers = new Map<number, unknown>()
  const listeners = new Set<(toasts: ReadonlyArray<Toast>) => void>()

  const emit = () => {
    for (const listener of listeners) listener(toasts)
  }

  const stopTimer = (id: number) => {
    const handle = timers.get(id)
    if (handle !== undefined) {
      clearTimer(handle)
      timers.delete(id)
    }
  }

  const startTimer = (toast: Toast) => {
    stopTimer(toast.id)
    if (toast.duration > 0) timers.set(toast.id, setTimer(() => dismiss(toast.id), toast.duration))
  }

  const remove = (id: number) => {
    stopTimer(id)
    for (const [key, value] of keys) if (value === id) keys.delete(key)
    toasts = toasts.filter((t) => t.id !== id)
  }

  const dismiss = (id: number) => {
    if (!toasts.some((t) => t.id === id)) return
    remove(id)
    emit()
  }

  const show = (kind: ToastKind, input: ToastInput): number => {
    if (input.key !== undefined) {
      const previous = keys.get(input.key)
      if (previous !== undefined) remove(previous)
    }
    const toast: Toast = {
      id: nextId++,
      kind,
      title: input.title,
      message: input.message,
      duration: Math.max(0, input.duration ?? durations[kind])
    }
    if (input.key !== undefined) keys.set(input.key, toast.id)
    toasts = [...toasts, toast]
    while (toasts.length > max) remove(toasts[0]!.id)
    startTimer(toast)
    emit()
    return toast.id
  }

  return {
    list: () => toasts,
    show,
    success: (title, message) => show("success", { title, message }),
    error: (title, message) => show("error", { title, message }),
    info: (title, message) => show("info", { title, message }),
    dismiss,
    clear: () => {
      for (const t of toasts) stopTimer(t.id)
      keys.clear()
      toasts = []
      emit()
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    pause: (id) => stopTimer(id),
    resume: (id) => {
      const toast = toasts.find((t) => t.id === id)
      if (toast) startTimer(toast)
    }
  }
}
