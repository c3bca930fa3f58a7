import { revalidate, useIsRouting, useSearchParams } from "@solidjs/router"
import { createAsync } from "@solidjs/router"
import { createEffect, createMemo, createSignal, Match, on, Show, Suspense, Switch } from "solid-js"
import { usePageTitle } from "../../lib/title.js"
import { type FilterChange, Filters } from "./components/Filters.js"
import { NoResults, ResultList, ResultsSkeleton, SearchFailed, StartHere } from "./components/Results.js"
import { SearchForm } from "./components/SearchForm.js"
import { queryTerms } from "./highlight.js"
import { type FieldError, searchKnowledge, type SearchOutcome } from "./Page.data.js"
import { hasFilters, type KnowledgeSearch, parseSearch, toParams } from "./search.js"
import "./knowledge.css"

const sameRequest = (a: KnowledgeSearch, b: KnowledgeSearch) =>
  a.q === b.q && a.pillar === b.pillar && a.mode === b.mode && a.category === b.category

/**
 * Knowledge: hybrid search of the PILAR knowledge base. Everything lives in the URL
 * (`?q=&pillar=&mode=&category=&open=`), so a search is shareable, reloads and Back work, and a
 * citation can point at one passage with `?open=<chunk id>`.
 */
export default function KnowledgePage() {
  const [params, setParams] = useSearchParams()
  const search = createMemo(() => parseSearch(params))
  /** What is sent: the search without `open` (opening a passage must not search again). */
  const request = createMemo(
    (): KnowledgeSearch => {
      const s = search()
      return { q: s.q, pillar: s.pillar, mode: s.mode, category: s.category }
    },
    undefined,
    { equals: sameRequest }
  )
  const outcome = createAsync(async (): Promise<SearchOutcome | undefined> =>
    request().q === "" ? undefined : searchKnowledge(request())
  )
  const routing = useIsRouting()
  const terms = createMemo(() => queryTerms(search().q))

  // Set from inside the results' Suspense boundary, read by the form, filters and live region.
  const [fieldErrors, setFieldErrors] = createSignal<Readonly<Record<string, string>>>({})
  const [announcement, setAnnouncement] = createSignal("")

  // What is typed in the box; follows the URL when it changes (Back, a suggestion, a reload).
  const [draft, setDraft] = createSignal(search().q)
  createEffect(on(() => search().q, (q) => setDraft(q), { defer: true }))

  usePageTitle(() => (search().q ? `${search().q} · Knowledge` : "Knowledge"))

  const go = (next: KnowledgeSearch) => setParams(toParams(next))

  const onSearch = () => go({ ...search(), q: draft().trim(), open: undefined })

  /** A filter searches what is in the box, submitted or not. */
  const onFilters = (change: FilterChange) =>
    go({ q: draft().trim(), pillar: change.pillar, mode: change.mode, category: change.category })

  const clearFilters = () => go({ q: draft().trim() })

  const retry = () => void revalidate(searchKnowledge.keyFor(request()))

  /** Reports one outcome to the page: inline field errors and the screen-reader announcement. */
  const report = (value: SearchOutcome | undefined) => {
    if (value === undefined) {
      setFieldErrors({})
      setAnnouncement("")
      return
    }
    switch (value._tag) {
      case "ok": {
        setFieldErrors({})
        const n = value.results.results.length
        setAnnouncement(
          `${n === 0 ? "No" : n} ${n === 1 ? "passage" : "passages"} found${value.results.degraded ? ", keyword results only" : ""}`
        )
        return
      }
      case "invalid":
        setFieldErrors(Object.fromEntries(value.fields.map((f: FieldError) => [f.path, f.message])))
        setAnnouncement(`${value.message} ${value.fields.map((f) => f.message).join(". ")}`)
        return
      case "failed":
        setFieldErrors({})
        setAnnouncement(`Search failed: ${value.error.message}`)
    }
  }

  function Outcome() {
    createEffect(() => report(outcome()))
    return (
      <Switch>
        <Match when={outcome() === undefined}>
          <StartHere />
        </Match>
        <Match when={outcome()?._tag === "invalid" && outcome()} keyed>
          {(value) => (
            <Show when={value._tag === "invalid" && value.fields.find((f) => !isFieldShown(f.path))}>
              {(field) => (
                <p class="field-error field-error--block" role="alert">
                  {field().message}
                </p>
              )}
            </Show>
          )}
        </Match>
        <Match when={outcome()?._tag === "failed" && outcome()} keyed>
          {(value) => (value._tag === "failed" ? <SearchFailed error={value.error} onRetry={retry} /> : null)}
        </Match>
        <Match when={outcome()?._tag === "ok" && outcome()} keyed>
          {(value) =>
            value._tag !== "ok" ? null : value.results.results.length === 0 ? (
              <NoResults search={search()} filtered={hasFilters(search())} onClearFilters={clearFilters} />
            ) : (
              <ResultList results={value.results} search={search()} terms={terms()} />
            )
          }
        </Match>
      </Switch>
    )
  }

  return (
    <div class="knowledge">
      <section class="knowledge-hero" aria-labelledby="page-title">
        <div class="container knowledge-hero__inner">
          <p class="eyebrow">Knowledge base</p>
          <h1 id="page-title" class="knowledge-hero__title">
            Ask the knowledge base
          </h1>
          <p class="lede">
            Search everything Compilar knows about the PILAR framework — pillars, forces, connections and practical
            advice.
          </p>
          <div class="knowledge-controls">
            <SearchForm
              value={draft()}
              onInput={setDraft}
              error={fieldErrors()["query"]} busy={routing()} onSearch={onSearch} />
            <Filters search={search()} errors={fieldErrors()} onChange={onFilters} />
          </div>
        </div>
      </section>

      <div class="container knowledge-body" aria-busy={routing()}>
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          {announcement()}
        </p>
        <Suspense fallback={<ResultsSkeleton />}>
          <Outcome />
        </Suspense>
      </div>
    </div>
  )
}

const isFieldShown = (path: string): boolean =>
  path === "query" || path === "pillar" || path === "mode" || path === "category"
