import { createEffect } from "solid-js"

const appName = "Compilar"

/** Formats a page title: "Pillars · Compilar"; the bare app name for an empty title. */
export const formatTitle = (title: string): string => (title ? `${title} · ${appName}` : appName)

/** Sets `document.title` for the current page (reactively, when given an accessor). */
export const usePageTitle = (title: string | (() => string)): void => {
  createEffect(() => {
    document.title = formatTitle(typeof title === "function" ? title() : title)
  })
}
