import { A, useLocation } from "@solidjs/router"
import { Icon } from "../../components/Icon.js"
import { usePageTitle } from "../../lib/title.js"

/** Unknown client routes. */
export default function NotFoundPage() {
  usePageTitle("Page not found")
  const location = useLocation()
  return (
    <div class="container page">
      <section class="empty-state" aria-labelledby="page-title">
        <p class="empty-state__code" aria-hidden="true">
          404
        </p>
        <h1 id="page-title" class="empty-state__title">
          Page not found
        </h1>
        <p class="lede empty-state__lede">
          There is nothing at <code>{location.pathname}</code>. It may have moved, or the link may be mistyped.
        </p>
        <div class="button-row">
          <A class="button button--primary" href="/">
            Back to the pillars
            <Icon name="arrowRight" />
          </A>
        </div>
      </section>
    </div>
  )
}
