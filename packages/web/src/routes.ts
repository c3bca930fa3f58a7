import type { RouteDefinition } from "@solidjs/router"
import { lazy } from "solid-js"
import { RequireAccount } from "./components/RequireAccount.js"
import CataloguePage from "./features/catalogue/Page.js"

/**
 * Every client route. The catalogue is the landing page and ships in the main chunk; the rest load
 * on demand. `*404` catches unknown paths (the server answers them with index.html). The pages
 * under `RequireAccount` need a signed-in learner: signed out, they lead to `/signin?next=…`.
 */
export const routes: ReadonlyArray<RouteDefinition> = [
  { path: "/", component: CataloguePage },
  { path: "/knowledge", component: lazy(() => import("./features/knowledge/Page.js")) },
  { path: "/explorer", component: lazy(() => import("./features/explorer/Page.js")) },
  {
    path: "/",
    component: RequireAccount,
    children: [
      { path: "/assess", component: lazy(() => import("./features/assess/Page.js")) },
      { path: "/assess/:id", component: lazy(() => import("./features/assess/QuizPage.js")) },
      { path: "/assess/:id/results", component: lazy(() => import("./features/assess/ResultsPage.js")) },
      { path: "/history", component: lazy(() => import("./features/history/Page.js")) },
      { path: "/progress", component: lazy(() => import("./features/progress/Page.js")) },
      { path: "/account", component: lazy(() => import("./features/account/Page.js")) }
    ]
  },
  { path: "/signin", component: lazy(() => import("./features/signin/Page.js")) },
  { path: "/signup", component: lazy(() => import("./features/signup/Page.js")) },
  { path: "*404", component: lazy(() => import("./features/not-found/Page.js")) }
]
