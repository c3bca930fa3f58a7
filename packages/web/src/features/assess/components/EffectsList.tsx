import type { PredictedEffect } from "@compilar/domain"
import { For, Show } from "solid-js"
import { dimensionOf, pillarOf } from "../labels.js"

const directionWords = {
  up: "likely lifted",
  down: "likely held back",
  steady: "little push either way",
  depends: "depends on context"
} as const

const typeWords = { reinforce: "Reinforces", inverse: "Works against", discretionary: "Discretionary" } as const

const signed = (n: number) => (n > 0 ? `+${n.toFixed(2)}` : n.toFixed(2))

/**
 * How this pillar's score is predicted to push on the pillars it connects to: strongest first,
 * each with its direction in words and the signed push (−1…1) as a small centred bar.
 */
export function EffectsList(props: { effects: ReadonlyArray<PredictedEffect> }) {
  return (
    <section class="effects" aria-labelledby="effects-title">
      <h2 id="effects-title" class="results-section__title">
        Effects on connected pillars
      </h2>
      <p class="results-section__lede">
        Pillars do not move alone. From your score, PILAR predicts these pushes on the pillars this one connects to.
      </p>
      <Show when={props.effects.length > 0} fallback={<p class="highlights__empty">This pillar has no outgoing connections.</p>}>
        <ul class="effects__list">
          <For each={props.effects}>
            {(effect) => {
              const target = pillarOf(effect.target)
              return (
                <li class="effects__item" data-direction={effect.direction} data-dimension={dimensionOf(target).id}>
                  <span class="pillar-card__letter" aria-hidden="true">
                    {dimensionOf(target).letter}
                  </span>
                  <div class="effects__text">
                    <p class="effects__target">
                      {target.title}
                      <span class="effects__direction">{directionWords[effect.direction]}</span>
                    </p>
                    <p class="effects__meta">
                      {typeWords[effect.type]} · {effect.name ?? "an unnamed link"} · strength {effect.strength.toFixed(1)}
                    </p>
                  </div>
                  <div class="effects__push" aria-hidden="true">
                    <span
                      class="effects__push-fill"
                      classList={{ "is-negative": effect.push < 0 }}
                      style={{ "--push": `${Math.abs(effect.push) * 50}%` }}
                    />
                  </div>
                  <span class="effects__value">
                    <span class="visually-hidden">Push </span>
                    {signed(effect.push)}
                  </span>
                </li>
              )
            }}
          </For>
        </ul>
      </Show>
    </section>
  )
}
