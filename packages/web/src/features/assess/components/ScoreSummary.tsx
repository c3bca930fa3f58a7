import type { Results } from "@compilar/domain"
import { dimensionOf, formatDateTime, isoOf, modeName, pillarOf } from "../labels.js"
import { bandLabels, formatScore } from "../labels.js"

const bandWords = {
  low: "There is real room to grow here.",
  mid: "A workable base, with room to strengthen it.",
  high: "A real asset for your group, worth protecting."
} as const

/** The headline of the results: the pillar, its score out of 100 and its band. */
export function ScoreSummary(props: { results: Results }) {
  const pillar = () => pillarOf(props.results.pillar)
  return (
    <header class="results-summary" data-dimension={dimensionOf(pillar()).id} data-band={props.results.pillarBand}>
      <div class="results-summary__text">
        <p class="eyebrow">Your results</p>
        <h1 id="page-title" class="results-summary__title">
          {pillar().title}
        </h1>
        <p class="results-summary__meta">
          {modeName(props.results.mode)} mode · {dimensionOf(pillar()).name} · completed{" "}
          <time datetime={isoOf(props.results.completedAt)}>{formatDateTime(props.results.completedAt)}</time>
        </p>
        <p class="results-summary__measures">{pillar().measures}</p>
      </div>
      <div class="results-score" role="group" aria-label="Pillar score">
        <p class="results-score__value">
          <span class="results-score__number">{formatScore(props.results.pillarScore)}</span>
          <span class="results-score__outof"> / 100</span>
        </p>
        <p class="band-chip" data-band={props.results.pillarBand}>
          {bandLabels[props.results.pillarBand]} band
        </p>
        <p class="results-score__words">{bandWords[props.results.pillarBand]}</p>
      </div>
    </header>
  )
}
