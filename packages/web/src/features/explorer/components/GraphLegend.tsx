import type { Connection } from "@compilar/domain"
import { For } from "solid-js"
import { typeCounts, typeLabel, typeMeaning } from "../Page.data.js"
import { strokeWidth } from "../graph.js"
import { TypeSwatch } from "./TypeSwatch.js"

/** What the colours, dashes and widths of the graph mean, with the count of each type in this mode. */
export function GraphLegend(props: { connections: ReadonlyArray<Connection> }) {
  const counts = () => typeCounts(props.connections)
  return (
    <div class="graph-legend">
      <h3 class="visually-hidden">Legend</h3>
      <ul class="graph-legend__types">
        <For each={["reinforce", "inverse", "discretionary"] as const}>
          {(type) => (
            <li class="graph-legend__item" data-type={type} title={typeMeaning[type]}>
              <TypeSwatch type={type} />
              <span>
                {typeLabel[type]} <span class="graph-legend__count">{counts()[type]}</span>
              </span>
            </li>
          )}
        </For>
      </ul>
      <div class="graph-legend__widths">
        <span>Weaker</span>
        <svg class="graph-legend__scale" viewBox="0 0 96 14" aria-hidden="true">
          <For each={[0.5, 0.7, 0.9]}>
            {(strength, i) => (
              <line x1={4 + i() * 32} x2={28 + i() * 32} y1="7" y2="7" stroke-width={strokeWidth(strength)} />
            )}
          </For>
        </svg>
        <span>Stronger</span>
        <span class="visually-hidden">: line width shows the strength of a connection</span>
      </div>
    </div>
  )
}
