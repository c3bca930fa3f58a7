import type { Mode } from "@compilar/domain"
import { Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"

/**
 * The deck: a stack of face-down cards with the five PILAR letters, and the buttons that draw
 * one — from all ten pillars, or from the mode chosen below. `busy` names what is being
 * started ("draw", "draw-<mode>" or a pillar), so only that button shows the spinner.
 */
export function DrawCard(props: { busy: string | undefined; mode: Mode; onDraw: () => void; onDrawMode: () => void }) {
  const drawing = () => props.busy === "draw"
  const drawingMode = () => props.busy === `draw-${props.mode.id}`
  return (
    <div class="deck" aria-labelledby="deck-title">
      <div class="deck__stack" aria-hidden="true" classList={{ "is-drawing": drawing() || drawingMode() }}>
        <span class="deck__card deck__card--3" />
        <span class="deck__card deck__card--2" />
        <span class="deck__card deck__card--1">
          <span class="deck__letters">PILAR</span>
          <span class="deck__mark">?</span>
        </span>
      </div>
      <div class="deck__body">
        <h2 id="deck-title" class="deck__title">
          Draw a card
        </h2>
        <p class="deck__text">One of the ten pillars, chosen for you — a good way to look at your group afresh.</p>
        <div class="button-row">
          <button
            type="button"
            class="button button--primary"
            disabled={props.busy !== undefined}
            aria-busy={drawing()}
            onClick={() => props.onDraw()}
          >
            <Show when={drawing()} fallback={<Icon name="refresh" />}>
              <span class="spinner spinner--small" aria-hidden="true" />
            </Show>
            Draw a card
          </button>
          <button
            type="button"
            class="button button--ghost"
            disabled={props.busy !== undefined}
            aria-busy={drawingMode()}
            onClick={() => props.onDrawMode()}
          >
            <Show when={drawingMode()}>
              <span class="spinner spinner--small" aria-hidden="true" />
            </Show>
            Only {props.mode.name.toLowerCase()} pillars
          </button>
        </div>
      </div>
    </div>
  )
}
