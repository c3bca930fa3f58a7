import type { SearchResults } from "@compilar/domain"
import { A } from "@solidjs/router"
import { createEffect, For, on, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { ErrorView } from "../../../lib/errors.js"
import { knowledgeHref, type KnowledgeSearch, passageDomId } from "../search.js"
import { ResultCard } from "./ResultCard.js"

/** Questions the corpus answers well, offered before the first search. */
export const exampleQuestions: ReadonlyArray<string> = [
  "what does scapegoating mean",
  "how can I learn to delegate more",
  "why do flat teams struggle to make decisions",
  "our remote team feels disconnected",
  "what counts as a low or high score"
]

/** Before a search: what the page is for, and a few questions to start from. */
export function StartHere() {
  return (
    <section class="knowledge-state knowledge-state--start" aria-labelledby="knowledge-start-title">
      <span class="knowledge-state__icon" aria-hidden="true">
        <Icon name="book" />
      </span>
      <h2 id="knowledge-start-title" class="knowledge-state__title">
        Not sure where to start?
      </h2>
      <p class="knowledge-state__text">
        Ask in your own words — the search matches meaning as well as words. Try one of these:
      </p>
      <ul class="suggestions">
        <For each={exampleQuestions}>
          {(question) => (
            <li>
              <A class="suggestion" href={knowledgeHref({ q: question })}>
                <Icon name="search" />
                <span>{question}</span>
              </A>
            </li>
          )}
        </For>
      </ul>
    </section>
  )
}

/** While the first answer loads: grey cards in the shape of results. */
export function ResultsSkeleton() {
  return (
    <div class="passage-list passage-list--loading" aria-hidden="true">
      <For each={[0, 1, 2]}>
        {() => (
          <div class="passage passage--skeleton">
            <span class="skeleton skeleton--title" />
            <span class="skeleton" />
            <span class="skeleton" />
            <span class="skeleton skeleton--short" />
          </div>
        )}
      </For>
    </div>
  )
}

/** The server could not answer: its message, and a retry for the kinds of failure where that helps. */
export function SearchFailed(props: { error: ErrorView; onRetry: () => void }) {
  return (
    <section class="knowledge-state knowledge-state--error" role="alert" aria-labelledby="knowledge-error-title">
      <span class="knowledge-state__icon" aria-hidden="true">
        <Icon name="alert" />
      </span>
      <h2 id="knowledge-error-title" class="knowledge-state__title">
        {props.error.title}
      </h2>
      <p class="knowledge-state__text">{props.error.message}</p>
      <Show when={props.error.requestId}>
        {(id) => <p class="knowledge-state__ref">Reference: {id()}</p>}
      </Show>
      <Show when={props.error.retryable}>
        <button type="button" class="button button--ghost" onClick={() => props.onRetry()}>
          <Icon name="refresh" />
          Try again
        </button>
      </Show>
    </section>
  )
}

/** A search that found nothing: say so, and offer the ways out. */
export function NoResults(props: { search: KnowledgeSearch; filtered: boolean; onClearFilters: () => void }) {
  return (
    <section class="knowledge-state" aria-labelledby="knowledge-none-title">
      <span class="knowledge-state__icon" aria-hidden="true">
        <Icon name="search" />
      </span>
      <h2 id="knowledge-none-title" class="knowledge-state__title">
        No passages match “{props.search.q}”
      </h2>
      <p class="knowledge-state__text">
        Try fewer or more everyday words, describe what happens in your group, or name a pillar (for example
        “Status” or “Group Prospects”).
      </p>
      <Show when={props.filtered}>
        <button type="button" class="button button--ghost" onClick={() => props.onClearFilters()}>
          Search without filters
        </button>
      </Show>
    </section>
  )
}

/** The ranked passages, with the degraded-search notice; scrolls to `?open=` when it is among them. */
export function ResultList(props: {
  results: SearchResults
  search: KnowledgeSearch
  terms: ReadonlyArray<string>
}) {
  createEffect(
    on(
      () => [props.search.open, props.results] as const,
      ([open]) => {
        if (open === undefined) return
        requestAnimationFrame(() => {
          const card = document.getElementById(passageDomId(open))
          if (!card) return
          card.scrollIntoView({ block: "center" })
          card.focus({ preventScroll: true })
        })
      }
    )
  )

  const count = () => props.results.results.length

  return (
    <section class="knowledge-results" aria-labelledby="knowledge-results-title">
      <Show when={props.results.degraded}>
        <p class="knowledge-notice" role="note">
          <Icon name="info" />
          <span>
            <strong>Degraded: keyword results only.</strong> Semantic search is unavailable right now, so passages are
            matched by their words alone.
          </span>
        </p>
      </Show>
      <h2 id="knowledge-results-title" class="knowledge-results__title">
        {count()} {count() === 1 ? "passage" : "passages"} for “{props.search.q}”
      </h2>
      <ol class="passage-list">
        <For each={props.results.results}>
          {(hit, index) => (
            <li>
              <ResultCard
                hit={hit}
                rank={index() + 1}
                terms={props.terms}
                open={props.search.open === hit.id}
                href={knowledgeHref({ ...props.search, open: hit.id })}
              />
            </li>
          )}
        </For>
      </ol>
    </section>
  )
}
