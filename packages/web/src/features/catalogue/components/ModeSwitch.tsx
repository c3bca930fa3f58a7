import type { Mode, ModeId } from "@compilar/domain"
import { For } from "solid-js"

/** A segmented control over native radio buttons: arrow keys, labels and form semantics for free. */
export function ModeSwitch(props: { modes: ReadonlyArray<Mode>; value: ModeId; onChange: (mode: ModeId) => void }) {
  return (
    <fieldset class="segmented">
      <legend class="segmented__legend">Mode</legend>
      <div class="segmented__options">
        <For each={props.modes}>
          {(mode) => (
            <label class="segmented__option" data-mode={mode.id}>
              <input
                type="radio"
                name="catalogue-mode"
                value={mode.id}
                checked={props.value === mode.id}
                onChange={() => props.onChange(mode.id)}
              />
              <span>{mode.name}</span>
            </label>
          )}
        </For>
      </div>
    </fieldset>
  )
}
