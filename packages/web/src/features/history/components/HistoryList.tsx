import { type AssessmentSummary, bandOf } from "@compilar/domain"
import { A } from "@solidjs/router"
import { For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { bandLabels, dimensionOf, formatDate, formatScore, isoOf, modeName, pillarOf, statusLabels } from "../../assess/labels.js"

/** The learner's assessments as rows: pillar, mode, status, dates, score; each a link to resume or to its results. */
export function HistoryList(props: { items: ReadonlyArray<AssessmentSummary> }) {
  return (
    <ol class="history-list">
      <For each={props.items}>
        {(item) => {
          const pillar = pillarOf(item.pillar)
          const done = item.status === "completed"
          return (
            <li>
              <A
                class="history-item"
                href={done ? `/assess/${item.id}/results` : `/assess/${item.id}`}
                data-status={item.status}
                data-dimension={dimensionOf(pillar).id}
                data-assessment={item.id}
              >
                <span class="pillar-card__letter" aria-hidden="true">
                  {dimensionOf(pillar).letter}
                </span>
                <span class="history-item__text">
                  <span class="history-item__title">{pillar.title}</span>
                  <span class="history-item__meta">
                    {modeName(item.mode)} ·{" "}
                    <Show
                      when={item.completedAt}
                      fallback={
                        <>
                          started <time datetime={isoOf(item.createdAt)}>{formatDate(item.createdAt)}</time>
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
                <span class="status-chip" data-status={item.status}>
                  {statusLabels[item.status]}
                </span>
                <span class="history-item__score">
                  {/* An object, not the number: a score of 0 is falsy. */}
                  <Show
                    when={item.pillarScore === null ? undefined : { score: item.pillarScore }}
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
                  {done ? "Results" : "Resume"}
                  <Icon name="arrowRight" />
                </span>
              </A>
            </li>
          )
        }}
      </For>
    </ol>
  )
}
