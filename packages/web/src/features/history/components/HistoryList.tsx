import { type AssessmentSummary, bandOf } from "@compilar/domain"
import { A } from "@solidjs/router"
import { createMemo, For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { bandLabels, dimensionOf, formatDate, formatScore, isoOf, modeName, pillarOf, statusLabels } from "../../assess/labels.js"

/** Which of a pillar's assessments this is, in words: "completed 3 Mar 2026", "started 1 Mar 2026". */
export const whenOf = (item: AssessmentSummary): string =>
  item.completedAt === null ? `started ${formatDate(item.createdAt)}` : `completed ${formatDate(item.completedAt)}`

/**
 * The learner's assessments as rows: pillar, mode, status, dates, score, each a link to resume or
 * to its results, with a delete button beside it (a button cannot live inside a link). Rows are
 * keyed by id, so fetching the list again keeps them, and the focus in them, where they are.
 */
export function HistoryList(props: { items: ReadonlyArray<AssessmentSummary>; onDelete: (item: AssessmentSummary) => void }) {
  const byId = createMemo(() => new Map(props.items.map((item) => [item.id as string, item])))
  return (
    <ol class="history-list">
      <For each={props.items.map((item) => item.id as string)}>
        {(id) => (
          <Show when={byId().get(id)}>
            {(item) => <HistoryRow item={item()} onDelete={() => props.onDelete(item())} />}
          </Show>
        )}
      </For>
    </ol>
  )
}

function HistoryRow(props: { item: AssessmentSummary; onDelete: () => void }) {
  const pillar = () => pillarOf(props.item.pillar)
  const done = () => props.item.status === "completed"
  return (
    <li class="history-row" data-assessment={props.item.id}>
      <A
        class="history-item"
        href={done() ? `/assess/${props.item.id}/results` : `/assess/${props.item.id}`}
        data-status={props.item.status}
        data-dimension={dimensionOf(pillar()).id}
        data-assessment={props.item.id}
      >
        <span class="pillar-card__letter" aria-hidden="true">
          {dimensionOf(pillar()).letter}
        </span>
        <span class="history-item__text">
          <span class="history-item__title">{pillar().title}</span>
          <span class="history-item__meta">
            {modeName(props.item.mode)} ·{" "}
            <Show
              when={props.item.completedAt}
              fallback={
                <>
                  started <time datetime={isoOf(props.item.createdAt)}>{formatDate(props.item.createdAt)}</time>
                </>
              }
            >
              {(at) => (
                <>
                  completed <time datetime={isoOf(at())}>{formatDate(at())}</time>
                </>
              )}
            </Show>
          </span>
        </span>
        <span class="status-chip" data-status={props.item.status}>
          {statusLabels[props.item.status]}
        </span>
        <span class="history-item__score">
          {/* An object, not the number: a score of 0 is falsy. */}
          <Show
            when={props.item.pillarScore === null ? undefined : { score: props.item.pillarScore }}
            fallback={<span class="history-item__noscore">—</span>}
          >
            {(scored) => (
              <>
                <span class="history-item__number">{formatScore(scored().score)}</span>
                <span class="band-chip" data-band={bandOf(scored().score)}>
                  {bandLabels[bandOf(scored().score)]}
                </span>
              </>
            )}
          </Show>
        </span>
        <span class="history-item__action">
          {done() ? "Results" : "Resume"}
          <Icon name="arrowRight" />
        </span>
      </A>
      <button
        type="button"
        class="icon-button icon-button--danger history-row__delete"
        aria-label={`Delete the ${pillar().title} assessment ${whenOf(props.item)}`}
        title="Delete"
        onClick={() => props.onDelete()}
      >
        <Icon name="trash" />
      </button>
    </li>
  )
}
