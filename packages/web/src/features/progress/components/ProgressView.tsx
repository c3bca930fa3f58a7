import { bandOf, type Progress, pillars } from "@compilar/domain"
import { A } from "@solidjs/router"
import { For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import {
  bandLabels,
  dimensionOf,
  formatDate,
  formatScore,
  isoOf,
  modeName,
  pillarOf,
  statusLabels
} from "../../assess/labels.js"

/**
 * The learner's progress: counts at a glance, the ten pillars marked covered or not, the
 * average (and latest) score per covered pillar as bars, and the most recent activity.
 */
export function ProgressView(props: { progress: Progress }) {
  const covered = () => new Set<string>(props.progress.pillarsCovered)
  return (
    <div class="progress">
      <dl class="progress-stats" aria-label="At a glance">
        <div>
          <dt>Completed</dt>
          <dd>{props.progress.completed}</dd>
        </div>
        <div>
          <dt>In progress</dt>
          <dd>{props.progress.inProgress}</dd>
        </div>
        <div>
          <dt>Pillars covered</dt>
          <dd>
            {props.progress.pillarsCovered.length}
            <span class="progress-stats__of"> / {pillars.length}</span>
          </dd>
        </div>
        <div>
          <dt>Modes covered</dt>
          <dd>
            {props.progress.modesCovered.length}
            <span class="progress-stats__of"> / 2</span>
          </dd>
        </div>
      </dl>

      <section class="results-card" aria-labelledby="coverage-title">
        <h2 id="coverage-title" class="results-section__title">
          Pillars covered
        </h2>
        <ul class="coverage">
          <For each={pillars}>
            {(pillar) => (
              <li
                class="coverage__item"
                classList={{ "is-covered": covered().has(pillar.id) }}
                data-dimension={dimensionOf(pillar).id}
                data-pillar={pillar.id}
              >
                <span class="pillar-card__letter" aria-hidden="true">
                  {dimensionOf(pillar).letter}
                </span>
                <span class="coverage__name">
                  {pillar.title}
                  <span class="coverage__mode">{modeName(pillar.mode)}</span>
                </span>
                <span class="coverage__state">
                  <Show when={covered().has(pillar.id)} fallback={<span class="visually-hidden">not yet assessed</span>}>
                    <Icon name="check" />
                    <span class="visually-hidden">assessed</span>
                  </Show>
                </span>
              </li>
            )}
          </For>
        </ul>
      </section>

      <section class="results-card" aria-labelledby="averages-title">
        <h2 id="averages-title" class="results-section__title">
          Average score per pillar
        </h2>
        <Show
          when={props.progress.averages.length > 0}
          fallback={<p class="highlights__empty">Complete an assessment to see your first score here.</p>}
        >
          <ul class="force-chart__rows">
            <For each={props.progress.averages}>
              {(average) => (
                <li class="force-chart__row" data-band={bandOf(average.average)} data-pillar={average.pillar}>
                  <div class="force-chart__label">
                    <span class="force-chart__name">{pillarOf(average.pillar).title}</span>
                    <span class="force-chart__description">
                      {modeName(average.mode)} · {average.count} {average.count === 1 ? "assessment" : "assessments"} · latest{" "}
                      {formatScore(average.latest)} on{" "}
                      <time datetime={isoOf(average.lastCompletedAt)}>{formatDate(average.lastCompletedAt)}</time>
                    </span>
                  </div>
                  <div class="force-chart__bar" aria-hidden="true">
                    <span class="force-chart__fill" style={{ "--score": `${average.average}%` }} />
                    <span class="force-chart__mark force-chart__mark--low" />
                    <span class="force-chart__mark force-chart__mark--high" />
                  </div>
                  <p class="force-chart__value">
                    <span class="force-chart__score">{formatScore(average.average)}</span>
                    <span class="visually-hidden"> average out of 100, </span>
                    <span class="band-chip" data-band={bandOf(average.average)}>
                      {bandLabels[bandOf(average.average)]}
                    </span>
                  </p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <section class="results-card" aria-labelledby="recent-title">
        <h2 id="recent-title" class="results-section__title">
          Recent activity
        </h2>
        <ol class="activity">
          <For each={props.progress.recent}>
            {(activity) => (
              <li class="activity__item" data-status={activity.status}>
                <A
                  href={activity.status === "completed" ? `/assess/${activity.assessmentId}/results` : `/assess/${activity.assessmentId}`}
                  class="activity__link"
                >
                  {pillarOf(activity.pillar).title}
                </A>
                <span class="activity__meta">
                  {modeName(activity.mode)} · {statusLabels[activity.status]}
                  {activity.status === "completed" ? "" : ` · ${activity.answered} answered`}
                  <Show when={activity.pillarScore === null ? undefined : { score: activity.pillarScore }}>
                    {(scored) => <> · score {formatScore(scored().score)}</>}
                  </Show>
                </span>
                <time class="activity__time" datetime={isoOf(activity.at)}>
                  {formatDate(activity.at)}
                </time>
              </li>
            )}
          </For>
        </ol>
      </section>
    </div>
  )
}
