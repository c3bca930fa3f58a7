import { For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
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
      <header class="pillar-card__head">
        <span class="pillar-card__letter" aria-hidden="true">
          {props.model.dimension.letter}
        </span>
        <div class="pillar-card__heading">
          <p class="pillar-card__dimension">
            <span class="visually-hidden">Dimension: </span>
            {props.model.dimension.name}
          </p>
          <h3 id={titleId()} class="pillar-card__title">
            {props.model.pillar.title}
          </h3>
        </div>
        <abbr class="chip pillar-card__abbr" title={props.model.pillar.title}>
          {props.model.pillar.abbreviation}
        </abbr>
      </header>
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
