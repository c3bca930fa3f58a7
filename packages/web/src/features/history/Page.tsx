import type { AssessmentSummary } from "@compilar/domain"
import { createAsync, revalidate } from "@solidjs/router"
import { createSignal, Match, Show, Suspense, Switch } from "solid-js"
import { Icon } from "../../components/Icon.js"
import { PageLoading } from "../../components/PageLoading.js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { LoadFailed, StatePanel } from "../assess/components/StatePanel.js"
import { HistoryList } from "./components/HistoryList.js"
import { listAssessments } from "./Page.data.js"
import { SubNav } from "../progress/components/SubNav.js"
import "../assess/assess.css"

/**
 * History: the learner's assessments, newest first, ten at a time ("Load more" follows the
 * cursor). In-progress ones resume their quiz; completed ones open their results.
 */
export default function HistoryPage() {
  usePageTitle("History")
  const userId = () => currentUser()?.id ?? ""
  const first = createAsync(() => listAssessments(userId(), undefined))
  const retry = () => void revalidate(listAssessments.keyFor(userId(), undefined))

  return (
    <div class="assess history-page">
      <section class="assess-hero assess-hero--compact" aria-labelledby="page-title">
        <div class="container assess-hero__inner assess-hero__inner--single">
          <p class="eyebrow">History</p>
          <h1 id="page-title" class="assess-hero__title">
            Your assessments, over time
          </h1>
          <SubNav />
        </div>
      </section>
      <div class="container assess-section">
        <Suspense fallback={<PageLoading />}>
          <Switch>
            <Match when={first()?._tag === "failed" && first()} keyed>
              {(failed) => (failed._tag === "failed" ? <LoadFailed error={failed.error} retry={retry} /> : null)}
            </Match>
            <Match when={first()?._tag === "ok" && first()} keyed>
              {(page) =>
                page._tag !== "ok" ? null : page.value.items.length === 0 ? (
                  <StatePanel
                    icon="clock"
                    title="No assessments yet"
                    text="Every assessment you start appears here, with its scores once it is complete."
                    link={{ href: "/assess", label: "Take your first assessment" }}
                  />
                ) : (
                  <Pages first={page.value.items} next={page.value.nextCursor} />
                )}
            </Match>
          </Switch>
        </Suspense>
      </div>
    </div>
  )
}

const countOf = (n: number) => (n === 1 ? "1 assessment" : `${n} assessments`)

/** The first page and whatever "Load more" added after it. */
function Pages(props: { first: ReadonlyArray<AssessmentSummary>; next: string | null }) {
  const userId = () => currentUser()?.id ?? ""
  const [more, setMore] = createSignal<ReadonlyArray<AssessmentSummary>>([])
  const [cursor, setCursor] = createSignal<string | null>(props.next)
  const [loading, setLoading] = createSignal(false)
  const [failed, setFailed] = createSignal(false)

  const loadMore = async () => {
    const at = cursor()
    if (at === null || loading()) return
    setLoading(true)
    setFailed(false)
    const page = await listAssessments(userId(), at)
    setLoading(false)
    if (page._tag === "failed") return setFailed(true)
    // A row already shown (the list moved between pages) is not shown twice.
    const seen = new Set([...props.first, ...more()].map((a) => a.id))
    setMore((rows) => [...rows, ...page.value.items.filter((a) => !seen.has(a.id))])
    setCursor(page.value.nextCursor)
  }

  return (
    <>
      <HistoryList items={[...props.first, ...more()]} />
      <div class="history__more">
        <Show
          when={cursor() !== null}
          fallback={<p class="history__end">That's everything: {countOf(props.first.length + more().length)}.</p>}
        >
          <button type="button" class="button button--ghost" disabled={loading()} aria-busy={loading()} onClick={() => void loadMore()}>
            <Show when={loading()} fallback={<Icon name="chevronDown" />}>
              <span class="spinner spinner--small" aria-hidden="true" />
            </Show>
            {failed() ? "Try loading more again" : "Load more"}
          </button>
        </Show>
      </div>
    </>
  )
}
