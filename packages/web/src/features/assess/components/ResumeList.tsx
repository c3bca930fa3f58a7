import type { AssessmentSummary } from "@compilar/domain"
import { A } from "@solidjs/router"
import { For } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { dimensionOf, formatDate, isoOf, modeName, pillarOf, statusLabels } from "../labels.js"

/** Assessments not completed yet, each a link back into its quiz (which resumes at the first open question). */
export function ResumeList(props: { items: ReadonlyArray<AssessmentSummary> }) {
  return (
    <ul class="resume-list">
      <For each={props.items}>
        {(item) => {
          const pillar = pillarOf(item.pillar)
          return (
            <li>
              <A class="resume-item" href={`/assess/${item.id}`} data-dimension={dimensionOf(pillar).id}>
                <span class="pillar-card__letter" aria-hidden="true">
                  {dimensionOf(pillar).letter}
                </span>
                <span class="resume-item__text">
                  <span class="resume-item__title">{pillar.title}</span>
                  <span class="resume-item__meta">
                    {modeName(item.mode)} · {statusLabels[item.status]} · started{" "}
                    <time datetime={isoOf(item.createdAt)}>{formatDate(item.createdAt)}</time>
                  </span>
                </span>
                <span class="resume-item__action">
                  Resume
                  <Icon name="arrowRight" />
                </span>
              </A>
            </li>
          )
        }}
      </For>
    </ul>
  )
}
