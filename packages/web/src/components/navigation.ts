import type { IconName } from "./Icon.js"

/**
 * The main navigation's items, and which one the current path belongs to. A link is
 * `aria-current="page"` on its own page and `aria-current="true"` on the other pages of its
 * section (a quiz and its results under Assess, Progress under History), so every route that
 * belongs to an item marks it, for screen readers and on screen alike.
 */

export interface NavItem {
  readonly href: string
  readonly label: string
  readonly icon: IconName
  /** Only the page itself, not the paths below it (the home page). */
  readonly end?: boolean
  /** Other pages of this item's section that have no item of their own (and the paths below them). */
  readonly section?: ReadonlyArray<string>
}

export const navItems: ReadonlyArray<NavItem> = [
  { href: "/", label: "Pillars", icon: "pillars", end: true },
  { href: "/assess", label: "Assess", icon: "clipboard" },
  { href: "/knowledge", label: "Knowledge", icon: "book" },
  { href: "/explorer", label: "Explorer", icon: "graph" },
  { href: "/history", label: "History", icon: "clock", section: ["/progress"] }
]

/** `/history/` and `/history` are the same page. */
const normalize = (pathname: string): string => (pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname) || "/"

const within = (pathname: string, base: string): boolean => pathname === base || pathname.startsWith(`${base}/`)

/** The item's `aria-current` on `pathname`: "page", "true" (a page of its section), or undefined. */
export const ariaCurrentOf = (item: NavItem, pathname: string): "page" | "true" | undefined => {
  const path = normalize(pathname)
  if (path === item.href) return "page"
  if (item.end === true) return undefined
  return within(path, item.href) || (item.section ?? []).some((base) => within(path, base)) ? "true" : undefined
}
