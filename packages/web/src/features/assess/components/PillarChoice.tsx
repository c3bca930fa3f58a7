import { For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import { PillarCardHead } from "../../catalogue/components/PillarCardHead.js"
import type { PillarCardModel } from "../../catalogue/Page.data.js"

/**
 * One pillar to assess, in the catalogue's card style: what it measures, its four forces (the
 * quiz covers each), and the button that starts an assessment of it.
 */
export function PillarChoice(props: { model: PillarCardModel; busy: boolean; disabled: boolean; onStart: () => void }) {
  const id = () => props.model.pillar.id
  const titleId = () => `choice-${id()}-title`
  return (
    <article class="pillar-card pillar-choice" data-dimension={props.model.dimension.id} data-pillar={id()} aria-labelledby={titleId()}>
      <PillarCardHead model={props.model} titleId={titleId()} />
      <p class="pillar-card__measures">{props.model.pillar.measures}</p>
      <ul class="force-list" aria-label="Forces the quiz covers">
        <For each={props.model.forces}>{(force) => <li class="force-list__item">{force.name}</li>}</For>
      </ul>
      <button
        type="button"
        class="pillar-card__open"
        disabled={props.disabled}
        aria-busy={props.busy}
        data-start-pillar={id()}
        onClick={() => props.onStart()}
      >
        <span>
          Assess this pillar<span class="visually-hidden">: {props.model.pillar.title}</span>
        </span>
        <Show when={props.busy} fallback={<Icon name="arrowRight" />}>
          <span class="spinner spinner--small" aria-hidden="true" />
        </Show>
      </button>
    </article>
  )
}
