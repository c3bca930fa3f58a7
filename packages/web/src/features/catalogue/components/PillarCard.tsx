import { For } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { PillarCardModel } from "../Page.data.js"
import { PillarCardHead } from "./PillarCardHead.js"

/**
 * One pillar at a glance: dimension letter, title, abbreviation, what it measures and its four
 * forces. "View details" opens the pillar's detail dialog (PillarDialog).
 */
export function PillarCard(props: { model: PillarCardModel; onOpen: () => void }) {
  const id = () => props.model.pillar.id
  const titleId = () => `pillar-${id()}-title`

  return (
    <article
      id={`pillar-${id()}`}
      class="pillar-card"
      data-dimension={props.model.dimension.id}
      data-pillar={id()}
      aria-labelledby={titleId()}
    >
      <PillarCardHead model={props.model} titleId={titleId()} />

      <p class="pillar-card__measures">{props.model.pillar.measures}</p>

      <div class="pillar-card__forces">
        <h4 class="label">Forces</h4>
        <ul class="force-list">
          <For each={props.model.forces}>
            {(force) => (
              <li class="force-list__item" title={force.description}>
                {force.name}
              </li>
            )}
          </For>
        </ul>
      </div>

      <button
        type="button"
        class="pillar-card__open"
        aria-haspopup="dialog"
        data-open-pillar={id()}
        onClick={() => props.onOpen()}
      >
        <span>
          View details<span class="visually-hidden"> of {props.model.pillar.title}</span>
        </span>
        <Icon name="arrowRight" />
      </button>
    </article>
  )
}
