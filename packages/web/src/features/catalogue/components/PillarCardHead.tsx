import type { PillarCardModel } from "../Page.data.js"

/**
 * A pillar card's header, shared by the catalogue's cards and the assessment's choices: the
 * dimension's letter and name, the pillar's title (`titleId` labels the card) and abbreviation.
 */
export function PillarCardHead(props: { model: PillarCardModel; titleId: string }) {
  return (
    <header class="pillar-card__head">
      <span class="pillar-card__letter" aria-hidden="true">
        {props.model.dimension.letter}
      </span>
      <div class="pillar-card__heading">
        <p class="pillar-card__dimension">
          <span class="visually-hidden">Dimension: </span>
          {props.model.dimension.name}
        </p>
        <h3 id={props.titleId} class="pillar-card__title">
          {props.model.pillar.title}
        </h3>
      </div>
      <abbr class="chip pillar-card__abbr" title={props.model.pillar.title}>
        {props.model.pillar.abbreviation}
      </abbr>
    </header>
  )
}
