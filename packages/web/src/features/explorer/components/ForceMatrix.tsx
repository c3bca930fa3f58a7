import { For } from "solid-js"
import type { ExplorerModel, Selection } from "../Page.data.js"

/**
 * The pillar-by-force matrix of a mode: one row per pillar (P, I, L, A, R), its four forces across.
 * The pillar and every force are buttons that select it.
 */
export function ForceMatrix(props: {
  model: ExplorerModel
  selection: Selection | undefined
  onSelect: (selection: Selection) => void
}) {
  const selectedForce = () => (props.selection?.kind === "force" ? props.selection.force.id : undefined)
  const selectedPillar = () => (props.selection?.kind === "pillar" ? props.selection.pillar.id : undefined)
  /** The rows a selection touches: the pillar itself, or both ends of a connection. */
  const touched = (id: string) => {
    const selection = props.selection
    if (selection === undefined) return false
    return selection.kind === "connection"
      ? selection.connection.from === id || selection.connection.to === id
      : selection.pillar.id === id
  }

  return (
    <table class="force-matrix">
      <caption class="visually-hidden">{props.model.mode.name} pillars and their four forces</caption>
      <thead>
        <tr>
          <th scope="col">Pillar</th>
          <th scope="col">Force 1</th>
          <th scope="col">Force 2</th>
          <th scope="col">Force 3</th>
          <th scope="col">Force 4</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.model.pillars}>
          {(row) => (
            <tr
              class="force-matrix__row"
              classList={{ "is-touched": touched(row.pillar.id) }}
              data-dimension={row.dimension.id}
              data-matrix-pillar={row.pillar.id}
            >
              <th scope="row">
                <button
                  type="button"
                  class="force-matrix__pillar"
                  aria-pressed={selectedPillar() === row.pillar.id}
                  onClick={() => props.onSelect({ kind: "pillar", pillar: row.pillar })}
                >
                  <span class="force-matrix__letter" aria-hidden="true">
                    {row.dimension.letter}
                  </span>
                  <span class="force-matrix__title">{row.pillar.title}</span>
                </button>
              </th>
              <For each={row.forces}>
                {(force) => (
                  <td>
                    <button
                      type="button"
                      class="force-matrix__force"
                      data-force={force.id}
                      aria-pressed={selectedForce() === force.id}
                      title={force.description}
                      onClick={() => props.onSelect({ kind: "force", force, pillar: row.pillar })}
                    >
                      {force.name}
                    </button>
                  </td>
                )}
              </For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  )
}
