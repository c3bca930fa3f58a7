import { type JSX, Show } from "solid-js"

/**
 * Stroke icons on a 24-unit grid, drawn with currentColor so they follow the text colour.
 * Functions, not elements: a Solid element is one DOM node and can only be mounted once.
 */
const paths = {
  check: () => <path d="M5 12.5l4.5 4.5L19 7.5" />,
  alert: () => (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7.5v5.5M12 16.5v.01" />
    </>
  ),
  info: () => (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 11v5.5M12 7.5v.01" />
    </>
  ),
  close: () => <path d="M6 6l12 12M18 6L6 18" />,
  menu: () => <path d="M4 7h16M4 12h16M4 17h16" />,
  arrowRight: () => <path d="M5 12h14M13 6l6 6-6 6" />,
  chevronDown: () => <path d="M6 9l6 6 6-6" />,
  refresh: () => (
    <>
      <path d="M20 11a8 8 0 1 0-2.3 5.7" />
      <path d="M20 5v6h-6" />
    </>
  ),
  clipboard: () => (
    <>
      <rect x="5" y="4" width="14" height="17" rx="2" />
      <path d="M9 4.5V3h6v1.5M9 11h6M9 15h4" />
    </>
  ),
  book: () => (
    <>
      <path d="M4 5.5A1.5 1.5 0 0 1 5.5 4H11v16H5.5A1.5 1.5 0 0 1 4 18.5z" />
      <path d="M20 5.5A1.5 1.5 0 0 0 18.5 4H13v16h5.5a1.5 1.5 0 0 0 1.5-1.5z" />
    </>
  ),
  graph: () => (
    <>
      <circle cx="6" cy="6" r="2.5" />
      <circle cx="18" cy="8" r="2.5" />
      <circle cx="9" cy="18" r="2.5" />
      <path d="M8.3 7l7.4.7M7 8.3l1.4 7.3M16.4 10l-5.6 6.4" />
    </>
  ),
  clock: () => (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  user: () => (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6" />
    </>
  ),
  compass: () => (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M15.5 8.5l-2 5-5 2 2-5z" />
    </>
  ),
  pillars: () => <path d="M4 20h16M6 17V8M10 17V8M14 17V8M18 17V8M3 6.5L12 3l9 3.5" />,
  eye: () => (
    <>
      <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12z" />
      <circle cx="12" cy="12" r="2.75" />
    </>
  ),
  eyeOff: () => (
    <>
      <path d="M4 4l16 16" />
      <path d="M9.9 5.8A9.7 9.7 0 0 1 12 5.5c6 0 9.5 6.5 9.5 6.5a16.6 16.6 0 0 1-2.9 3.7M6.4 7.4A16.4 16.4 0 0 0 2.5 12s3.5 6.5 9.5 6.5a9.6 9.6 0 0 0 4.4-1.1" />
      <path d="M10 10.1a2.75 2.75 0 0 0 3.9 3.9" />
    </>
  ),
  logOut: () => (
    <>
      <path d="M10 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h4" />
      <path d="M15 8l4 4-4 4M19 12H9" />
    </>
  ),
  search: () => (
    <>
      <circle cx="11" cy="11" r="6.5" />
      <path d="M16 16l4 4" />
    </>
  ),
  trash: () => <path d="M4 7h16M9.5 7V4.5h5V7M6.5 7l1 12.5h9l1-12.5M10 11v5.5M14 11v5.5" />
} satisfies Record<string, () => JSX.Element>

export type IconName = keyof typeof paths

export function Icon(props: { name: IconName; class?: string; title?: string }) {
  return (
    <svg
      class={props.class ? `icon ${props.class}` : "icon"}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden={props.title ? undefined : "true"}
      role={props.title ? "img" : undefined}
    >
      <Show when={props.title}>
        <title>{props.title}</title>
      </Show>
      {paths[props.name]()}
    </svg>
  )
}
