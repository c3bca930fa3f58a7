import type { ForceHighlight } from "@compilar/domain"
import { For, Show } from "solid-js"
import { Icon, type IconName } from "../../../components/Icon.js"
import { forceOf, formatScore } from "../labels.js"

function HighlightList(props: {
  title: string
  icon: IconName
  kind: "strength" | "growth"
  items: ReadonlyArray<ForceHighlight>
  empty: string
}) {
  return (
    <section class="highlights__group" data-kind={props.kind} aria-labelledby={`highlights-${props.kind}`}>
      <h3 id={`highlights-${props.kind}`} class="highlights__title">
        <Icon name={props.icon} />
        {props.title}
      </h3>
      <Show when={props.items.length > 0} fallback={<p class="highlights__empty">{props.empty}</p>}>
        <ul class="highlights__list">
          <For each={props.items}>
            {(item) => (
              <li class="highlights__item">
                <p class="highlights__force">
                  {forceOf(item.force)?.name ?? item.force} <span class="highlights__score">{formatScore(item.score)}</span>
                </p>
                <p class="highlights__description">{forceOf(item.force)?.description ?? ""}</p>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  )
}

/** Strengths to keep and growth areas to work on, each force with its score and what it means. */
export function Highlights(props: { strengths: ReadonlyArray<ForceHighlight>; growthAreas: ReadonlyArray<ForceHighlight> }) {
  return (
    <div class="highlights">
      <HighlightList
        title="Strengths to keep"
        icon="check"
        kind="strength"
        items={props.strengths}
        empty="Your forces score evenly: no single one stands out."
      />
      <HighlightList
        title="Room to grow"
        icon="compass"
        kind="growth"
        items={props.growthAreas}
        empty="Your forces score evenly: no single one lags behind."
      />
    </div>
  )
}
