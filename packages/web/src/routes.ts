import type { RouteDefinition } from "@solidjs/router"
import { lazy } from "solid-js"
import CataloguePage from "./features/catalogue/Page.js"

/**
 * Every client route. The catalogue is the landing page and ships in the main chunk; the rest load
 * on demand. `*404` catches unknown paths (the server answers them with index.html).
 */
export const routes: ReadonlyArray<RouteDefinition> = [
  { path: "/", component: CataloguePage },
  { path: "/assess", component: lazy(() => import("./features/assess/Page.js")) },
  { path: "/knowledge", component: lazy(() => import("./features/knowledge/Page.js")) },
  { path: "/explorer", component: lazy(() => import("./features/explorer/Page.js")) },
  { path: "/history", component: lazy(() => import("./features/history/Page.js")) },
  { path: "/signin", component: lazy(() => import("./features/signin/Page.js")) },
  { path: "*404", component: lazy(() => import("./features/not-found/Page.js")) }
]
