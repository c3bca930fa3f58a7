import {
  type KnowledgeCategory,
  knowledgeCategories,
  type ModeId,
  modes,
  type PillarId,
  pillarsOf
} from "@compilar/domain"
import { For, Show } from "solid-js"
import { categoryLabels, type KnowledgeSearch } from "../search.js"

export interface FilterChange {
  readonly pillar?: PillarId | undefined
  readonly mode?: ModeId | undefined
  readonly category?: KnowledgeCategory | undefined
}

type Field = "pillar" | "mode" | "category"

/** One labelled select with its inline error (from a `validation_failed` answer naming it). */
function FilterSelect(props: {
  field: Field
  label: string
  value: string
  error: string | undefined
  onChange: (value: string) => void
  children: import("solid-js").JSX.Element
}) {
  const id = () => `knowledge-${props.field}`
  return (
    <div class="knowledge-filter">
      <label class="knowledge-filter__label" for={id()}>
        {props.label}
      </label>
      <select
        id={id()}
        name={props.field}
        value={props.value}
        aria-invalid={props.error !== undefined}
        aria-describedby={props.error !== undefined ? `${id()}-error` : undefined}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        {props.children}
      </select>
      <Show when={props.error}>
        {(message) => (
          <p id={`${id()}-error`} class="field-error">
            {message()}
          </p>
        )}
      </Show>
    </div>
  )
}

/**
 * Pillar (grouped by mode, only the chosen mode's when one is chosen), mode and category. Choosing
 * a mode clears a pillar of the other mode.
 */
export function Filters(props: {
  search: KnowledgeSearch
  errors: Readonly<Record<string, string>>
  onChange: (change: FilterChange) => void
}) {
  const shownModes = () => modes.filter((m) => props.search.mode === undefined || m.id === props.search.mode)
  const any = () =>
    props.search.pillar !== undefined || props.search.mode !== undefined || props.search.category !== undefined

  return (
    <fieldset class="knowledge-filters">
      <legend class="visually-hidden">Filters</legend>
      <FilterSelect
        field="mode"
        label="Mode"
        value={props.search.mode ?? ""}
        error={props.errors["mode"]}
        onChange={(value) => {
          const mode = value === "" ? undefined : (value as ModeId)
          const pillar = props.search.pillar
          const keep = pillar !== undefined && (mode === undefined || pillarsOf(mode).some((p) => p.id === pillar))
          props.onChange({ mode, pillar: keep ? pillar : undefined, category: props.search.category })
        }}
      >
        <option value="">Both modes</option>
        <For each={modes}>{(mode) => <option value={mode.id}>{mode.name}</option>}</For>
      </FilterSelect>
      <FilterSelect
        field="pillar"
        label="Pillar"
        value={props.search.pillar ?? ""}
        error={props.errors["pillar"]}
        onChange={(value) =>
          props.onChange({
            mode: props.search.mode,
            pillar: value === "" ? undefined : (value as PillarId),
            category: props.search.category
          })
        }
      >
        <option value="">All pillars</option>
        <For each={shownModes()}>
          {(mode) => (
            <optgroup label={mode.name}>
              <For each={pillarsOf(mode.id)}>{(pillar) => <option value={pillar.id}>{pillar.title}</option>}</For>
            </optgroup>
          )}
        </For>
      </FilterSelect>
      <FilterSelect
        field="category"
        label="Kind of passage"
        value={props.search.category ?? ""}
        error={props.errors["category"]}
        onChange={(value) =>
          props.onChange({
            mode: props.search.mode,
            pillar: props.search.pillar,
            category: value === "" ? undefined : (value as KnowledgeCategory)
          })
        }
      >
        <option value="">All kinds</option>
        <For each={knowledgeCategories}>{(category) => <option value={category}>{categoryLabels[category]}</option>}</For>
      </FilterSelect>
      <Show when={any()}>
        <button
          type="button"
          class="link-button knowledge-filters__clear"
          onClick={() => props.onChange({ mode: undefined, pillar: undefined, category: undefined })}
        >
          Clear filters
        </button>
      </Show>
    </fieldset>
  )
}
