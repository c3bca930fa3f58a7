import { bandOf, forcesOf, type PillarId } from "@compilar/domain"
import { For } from "solid-js"
import { bandLabels, formatScore } from "../labels.js"

/**
 * The four force scores as horizontal bars (0–100) with the band limits (40, 70) marked. The
 * numbers and bands are text beside each bar, so the chart reads the same without seeing it.
 */
export function ForceChart(props: { pillar: PillarId; scores: Readonly<Record<string, number>> }) {
  const rows = () =>
    forcesOf(props.pillar).flatMap((force) => {
      const score = props.scores[force.id]
      return score === undefined ? [] : [{ force, score, band: bandOf(score) }]
    })
  return (
    <figure class="force-chart">
      <figcaption class="results-section__title" id="force-chart-title">
        Scores by force
      </figcaption>
      <ul class="force-chart__rows" aria-labelledby="force-chart-title">
        <For each={rows()}>
          {(row) => (
            <li class="force-chart__row" data-band={row.band} data-force={row.force.id}>
              <div class="force-chart__label">
                <span class="force-chart__name">{row.force.name}</span>
                <span class="force-chart__description">{row.force.description}</span>
              </div>
              <div class="force-chart__bar" aria-hidden="true">
                <span class="force-chart__fill" style={{ "--score": `${row.score}%` }} />
                <span class="force-chart__mark force-chart__mark--low" />
                <span class="force-chart__mark force-chart__mark--high" />
              </div>
              <p class="force-chart__value">
                <span class="force-chart__score">{formatScore(row.score)}</span>
                <span class="visually-hidden"> out of 100, </span>
                <span class="band-chip" data-band={row.band}>
                  {bandLabels[row.band]}
                </span>
              </p>
            </li>
          )}
        </For>
      </ul>
      <p class="force-chart__legend" aria-hidden="true">
        <span>0</span>
        <span class="force-chart__legend-low">40</span>
        <span class="force-chart__legend-high">70</span>
        <span>100</span>
      </p>
    </figure>
  )
}
