import type { AssessmentSummary } from "@compilar/domain"
import { createAsync, revalidate } from "@solidjs/router"
import { batch, createMemo, createSignal, Match, Show, Switch } from "solid-js"
import { Icon } from "../../components/Icon.js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { DeleteAssessmentDialog } from "../assess/components/DeleteAssessmentDialog.js"
import { LoadFailed, StatePanel } from "../assess/components/StatePanel.js"
import { HistoryList, whenOf } from "./components/HistoryList.js"
import { listAssessments } from "./Page.data.js"
import { RecordFrame } from "../progress/components/RecordFrame.js"
import "../assess/assess.css"

/**
 * History: the learner's assessments, newest first, ten at a time ("Load more" follows the
 * cursor). In-progress ones resume their quiz; completed ones open their results; any can be
 * deleted, after a confirmation.
 */
export default function HistoryPage() {
  usePageTitle("History")
  const userId = () => currentUser()?.id ?? ""
  const first = createAsync(() => listAssessments(userId(), undefined))
  const retry = () => void revalidate(listAssessments.keyFor(userId(), undefined))
  // Not keyed: the first page fetched again (after a delete) updates the list in place.
  const loaded = () => {
    const page = first()
    return page?._tag === "ok" ? page.value : undefined
  }

  return (
    <RecordFrame class="history-page" eyebrow="History" title="Your assessments, over time">
      <Switch>
        <Match when={first()?._tag === "failed" && first()} keyed>
          {(failed) => (failed._tag === "failed" ? <LoadFailed error={failed.error} retry={retry} /> : null)}
        </Match>
        <Match when={loaded()}>{(page) => <Pages first={page().items} next={page().nextCursor} />}</Match>
      </Switch>
    </RecordFrame>
  )
}

const countOf = (n: number) => (n === 1 ? "1 assessment" : `${n} assessments`)

/**
 * The first page, whatever "Load more" added after it, less what was deleted here. A deleted row
 * goes without a reload (the rows loaded with "Load more" stay), and the focus moves to the row
 * that took its place, or to the page's heading when none is left.
 */
function Pages(props: { first: ReadonlyArray<AssessmentSummary>; next: string | null }) {
  const userId = () => currentUser()?.id ?? ""
  const [more, setMore] = createSignal<ReadonlyArray<AssessmentSummary>>([])
  /** The cursor after the last page "Load more" brought; until then, the first page's. */
  const [moreCursor, setMoreCursor] = createSignal<string | null | undefined>(undefined)
  const cursor = () => {
    const after = moreCursor()
    return after === undefined ? props.next : after
  }
  const [loading, setLoading] = createSignal(false)
  const [failed, setFailed] = createSignal(false)
  const [removed, setRemoved] = createSignal<ReadonlySet<string>>(new Set())
  const [deleting, setDeleting] = createSignal<AssessmentSummary | undefined>(undefined)
  let list: HTMLDivElement | undefined
  /** The rows as they were when the dialog opened: the deleted one's neighbours are found there. */
  let rowsWhenAsked: ReadonlyArray<string> = []
  /** Where the focus goes once the dialog has closed after a delete: a row's id, or null for the heading. */
  let focusAfterDelete: string | null | undefined

  // A row already shown (the list moved between pages, or the first page was fetched again) is shown once.
  const rows = createMemo(() => {
    const seen = new Set<string>(removed())
    const shown: Array<AssessmentSummary> = []
    for (const item of [...props.first, ...more()]) {
      if (seen.has(item.id)) continue
      seen.add(item.id)
      shown.push(item)
    }
    return shown
  })
  const target = () => {
    const item = deleting()
    return item === undefined ? undefined : { id: item.id, pillar: item.pillar, when: whenOf(item) }
  }

  const loadMore = async () => {
    const at = cursor()
    if (at === null || loading()) return
    setLoading(true)
    setFailed(false)
    const page = await listAssessments(userId(), at)
    setLoading(false)
    if (page._tag === "failed") return setFailed(true)
    setMore((shown) => [...shown, ...page.value.items])
    setMoreCursor(page.value.nextCursor)
  }

  const askToDelete = (item: AssessmentSummary) => {
    rowsWhenAsked = rows().map((a) => a.id)
    focusAfterDelete = undefined
    setDeleting(item)
  }

  /**
   * The row after it, else the one before, of those still shown. By now the first page may have
   * been fetched again without it, so its place is looked up as the learner saw the list.
   */
  const deleted = (id: string) => {
    const at = rowsWhenAsked.indexOf(id)
    const shown = new Set(rows().map((a) => a.id as string))
    shown.delete(id)
    const after = rowsWhenAsked.slice(at + 1).find((other) => shown.has(other))
    const before = rowsWhenAsked.slice(0, Math.max(at, 0)).reverse().find((other) => shown.has(other))
    focusAfterDelete = after ?? before ?? null
    batch(() => {
      setRemoved((gone) => new Set([...gone, id]))
      setDeleting(undefined)
    })
  }

  const focusAfterClose = () => {
    if (focusAfterDelete === undefined) return
    const next = focusAfterDelete
    focusAfterDelete = undefined
    const element =
      next === null ? document.getElementById("page-title") : list?.querySelector<HTMLElement>(`.history-item[data-assessment="${next}"]`)
    element?.focus()
  }

  return (
    <div ref={list}>
      <Show
        when={rows().length > 0 || cursor() !== null}
        fallback={
          <StatePanel
            icon="clock"
            title="No assessments yet"
            text="Every assessment you start appears here, with its scores once it is complete."
            link={{ href: "/assess", label: "Take your first assessment" }}
          />
        }
      >
        <HistoryList items={rows()} onDelete={askToDelete} />
        <div class="history__more">
          <Show when={cursor() !== null} fallback={<p class="history__end">That's everything: {countOf(rows().length)}.</p>}>
            <button
              type="button"
              class="button button--ghost"
              disabled={loading()}
              aria-busy={loading()}
              onClick={() => void loadMore()}
            >
              <Show when={loading()} fallback={<Icon name="chevronDown" />}>
                <span class="spinner spinner--small" aria-hidden="true" />
              </Show>
              {failed() ? "Try loading more again" : "Load more"}
            </button>
          </Show>
        </div>
      </Show>
      <DeleteAssessmentDialog
        target={target()}
        onCancel={() => setDeleting(undefined)}
        onDeleted={deleted}
        onClosed={focusAfterClose}
      />
    </div>
  )
}
