import { A } from "@solidjs/router"
import { type JSX, Suspense } from "solid-js"
import { PageLoading } from "../../../components/PageLoading.js"

/**
 * The frame of History and Progress, two views of the same record: a compact hero with the
 * page's title and tab-like links between the two, then the content, loading while it suspends.
 */
export function RecordFrame(props: { class: string; eyebrow: string; title: string; children: JSX.Element }) {
  return (
    <div class={`assess ${props.class}`}>
      <section class="assess-hero assess-hero--compact" aria-labelledby="page-title">
        <div class="container assess-hero__inner assess-hero__inner--single">
          <p class="eyebrow">{props.eyebrow}</p>
          {/* Focusable: History moves the focus here when the row it was on is deleted and none is left. */}
          <h1 id="page-title" class="assess-hero__title" tabindex="-1">
            {props.title}
          </h1>
          <nav class="subnav" aria-label="Your record">
            <A href="/history" class="subnav__link" activeClass="is-active" end>
              History
            </A>
            <A href="/progress" class="subnav__link" activeClass="is-active" end>
              Progress
            </A>
          </nav>
        </div>
      </section>
      <div class="container assess-section">
        <Suspense fallback={<PageLoading />}>{props.children}</Suspense>
      </div>
    </div>
  )
}
