import type { Connection, PillarId } from "@compilar/domain"
import { createMemo, createSignal, For, Index, onCleanup, onMount, Show } from "solid-js"
import {
  layoutEdges,
  nodeLabel,
  nodePoint,
  nodeRadius,
  type Point,
  viewBoxCompact,
  viewBoxFull
} from "../graph.js"
import {
  connectionLabel,
  connectionName,
  type ExplorerModel,
  type ExplorerPillar,
  formatStrength,
  pillarOf,
  type Selection,
  typeLabel
} from "../Page.data.js"

/** What the pointer rests on, or what has keyboard focus: one pillar or one connection. */
type Target = { readonly kind: "node"; readonly id: PillarId } | { readonly kind: "edge"; readonly id: string }

interface Highlight {
  readonly nodes: ReadonlySet<string>
  readonly edges: ReadonlySet<string>
}

const around = (connections: ReadonlyArray<Connection>, pillar: PillarId): Highlight => ({
  nodes: new Set([pillar]),
  edges: new Set(connections.filter((c) => c.from === pillar || c.to === pillar).map((c) => c.id))
})

const compactQuery = "(max-width: 34rem)"

/**
 * The five pillars of a mode and their twenty directed connections as an SVG graph. Colour says
 * the type (with a dash pattern for discretionary), width the strength. Every node and edge is a
 * focusable button: hover or focus highlights it and shows a tooltip; click, Enter or Space selects
 * it; arrow keys step through the edges (or the nodes).
 */
export function PilarGraph(props: {
  model: ExplorerModel
  selection: Selection | undefined
  onSelect: (selection: Selection) => void
}) {
  const [hovered, setHovered] = createSignal<Target>()
  const [focused, setFocused] = createSignal<Target>()
  const [compact, setCompact] = createSignal(false)

  onMount(() => {
    const media = window.matchMedia(compactQuery)
    const update = () => setCompact(media.matches)
    update()
    media.addEventListener("change", update)
    onCleanup(() => media.removeEventListener("change", update))
  })

  const order = createMemo(() => props.model.pillars.map((p) => p.pillar.id))
  const edges = createMemo(() => layoutEdges(props.model.connections, order()))
  const active = () => hovered() ?? focused()

  const highlight = createMemo((): Highlight | undefined => {
    const target = active()
    const connections = props.model.connections
    if (target?.kind === "node") return around(connections, target.id)
    if (target?.kind === "edge") {
      const c = connections.find((x) => x.id === target.id)
      return c ? { nodes: new Set([c.from, c.to]), edges: new Set([c.id]) } : undefined
    }
    const selection = props.selection
    if (selection === undefined) return undefined
    if (selection.kind === "connection") {
      const c = selection.connection
      return { nodes: new Set([c.from, c.to]), edges: new Set([c.id]) }
    }
    return around(connections, selection.pillar.id)
  })

  const selectedEdge = () => (props.selection?.kind === "connection" ? props.selection.connection.id : undefined)
  const selectedNode = () =>
    props.selection?.kind === "pillar" || props.selection?.kind === "force" ? props.selection.pillar.id : undefined

  const viewBox = () => (compact() ? viewBoxCompact : viewBoxFull)

  /** A point in user units as a percentage of the drawing, for the HTML tooltip above it. */
  const toPercent = (p: Point) => {
    const [x = 0, y = 0, w = 1, h = 1] = viewBox().split(" ").map(Number)
    return { left: `${((p.x - x) / w) * 100}%`, top: `${((p.y - y) / h) * 100}%` }
  }

  const tooltip = createMemo(() => {
    const target = active()
    if (target === undefined) return undefined
    if (target.kind === "edge") {
      const edge = edges().find((e) => e.connection.id === target.id)
      if (!edge) return undefined
      const c = edge.connection
      return {
        kind: "edge" as const,
        type: c.type,
        title: connectionName(c),
        line: `${pillarOf(c.from).title} → ${pillarOf(c.to).title}`,
        meta: `${typeLabel[c.type]} · strength ${formatStrength(c.strength)}`,
        at: toPercent(edge.geometry.mid)
      }
    }
    const index = order().indexOf(target.id)
    const node = props.model.pillars[index]
    if (!node) return undefined
    const p = nodePoint(index)
    return {
      kind: "node" as const,
      type: undefined,
      title: node.pillar.title,
      line: node.pillar.measures,
      meta: `${node.dimension.name} · 4 out, 4 in`,
      at: toPercent({ x: p.x, y: p.y - nodeRadius })
    }
  })

  const onKey = (event: KeyboardEvent, select: () => void) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault()
      select()
      return
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key]
    if (step === undefined) return
    const current = event.currentTarget as SVGGElement
    const group = current.dataset["connection"] !== undefined ? "[data-connection]" : "[data-node]"
    const items = [...(current.ownerSVGElement?.querySelectorAll<SVGGElement>(group) ?? [])]
    const index = items.indexOf(current)
    event.preventDefault()
    items[(index + step + items.length) % items.length]?.focus()
  }

  /** Focus shows the tooltip only for keyboard focus; a mouse click leaves it to hover. */
  const onFocus = (event: FocusEvent, target: Target) => {
    if ((event.currentTarget as Element).matches(":focus-visible")) setFocused(target)
  }

  const nodeClass = (id: PillarId) => ({
    "is-active": highlight()?.nodes.has(id) ?? false,
    "is-muted": highlight() !== undefined && !highlight()?.nodes.has(id),
    "is-selected": selectedNode() === id
  })

  const edgeClass = (id: string) => ({
    "is-active": highlight()?.edges.has(id) ?? false,
    "is-muted": highlight() !== undefined && !highlight()?.edges.has(id),
    "is-selected": selectedEdge() === id
  })

  return (
    <div class="pilar-graph" classList={{ "is-compact": compact() }}>
      <svg
        class="pilar-graph__svg"
        viewBox={viewBox()}
        role="group"
        aria-label={`${props.model.mode.name} pillars and their ${props.model.connections.length} connections`}
        aria-describedby="graph-help"
      >
        <g class="pilar-graph__edges">
          <For each={edges()}>
            {(edge) => (
              <g
                class="graph-edge"
                classList={edgeClass(edge.connection.id)}
                data-connection={edge.connection.id}
                data-type={edge.connection.type}
                tabindex="0"
                role="button"
                aria-label={connectionLabel(edge.connection)}
                aria-pressed={selectedEdge() === edge.connection.id}
                onClick={() => props.onSelect({ kind: "connection", connection: edge.connection })}
                onKeyDown={(event) => onKey(event, () => props.onSelect({ kind: "connection", connection: edge.connection }))}
                onPointerEnter={() => setHovered({ kind: "edge", id: edge.connection.id })}
                onPointerLeave={() => setHovered(undefined)}
                onFocus={(event) => onFocus(event, { kind: "edge", id: edge.connection.id })}
                onBlur={() => setFocused(undefined)}
              >
                <path class="graph-edge__halo" d={edge.geometry.path} stroke-width={edge.geometry.width + 7} />
                <path class="graph-edge__line" d={edge.geometry.path} stroke-width={edge.geometry.width} />
                <path class="graph-edge__head" d={edge.geometry.head} />
                <path class="graph-edge__hit" d={edge.geometry.path} stroke-width={Math.max(16, edge.geometry.width + 10)} />
              </g>
            )}
          </For>
        </g>
        <g class="pilar-graph__nodes">
          <Index each={props.model.pillars}>
            {(node, index) => <GraphNode node={node()} index={index} classes={nodeClass(node().pillar.id)} />}
          </Index>
        </g>
      </svg>

      <Show when={tooltip()}>
        {(tip) => (
          <div
            class="graph-tooltip"
            data-kind={tip().kind}
            data-type={tip().type}
            role="tooltip"
            style={{ left: tip().at.left, top: tip().at.top }}
          >
            <strong class="graph-tooltip__title">{tip().title}</strong>
            <span class="graph-tooltip__line">{tip().line}</span>
            <span class="graph-tooltip__meta">{tip().meta}</span>
          </div>
        )}
      </Show>
    </div>
  )

  function GraphNode(nodeProps: { node: ExplorerPillar; index: number; classes: Record<string, boolean> }) {
    const id = () => nodeProps.node.pillar.id
    const p = () => nodePoint(nodeProps.index)
    const label = () => nodeLabel(nodeProps.index, nodeProps.node.pillar.title)
    const select = () => props.onSelect({ kind: "pillar", pillar: nodeProps.node.pillar })
    return (
      <g
        class="graph-node"
        classList={nodeProps.classes}
        data-node={id()}
        data-dimension={nodeProps.node.dimension.id}
        tabindex="0"
        role="button"
        aria-label={`${nodeProps.node.pillar.title} (${nodeProps.node.dimension.name}): 4 outgoing and 4 incoming connections`}
        aria-pressed={selectedNode() === id()}
        onClick={select}
        onKeyDown={(event) => onKey(event, select)}
        onPointerEnter={() => setHovered({ kind: "node", id: id() })}
        onPointerLeave={() => setHovered(undefined)}
        onFocus={(event) => onFocus(event, { kind: "node", id: id() })}
        onBlur={() => setFocused(undefined)}
      >
        <circle class="graph-node__ring" cx={p().x} cy={p().y} r={nodeRadius + 7} />
        <circle class="graph-node__disc" cx={p().x} cy={p().y} r={nodeRadius} />
        <text class="graph-node__letter" x={p().x} y={p().y + 3} text-anchor="middle">
          {nodeProps.node.dimension.letter}
        </text>
        <text class="graph-node__abbr" x={p().x} y={p().y + 22} text-anchor="middle">
          {nodeProps.node.pillar.abbreviation}
        </text>
        <text class="graph-node__label" x={label().x} y={label().y} text-anchor={label().anchor} aria-hidden="true">
          <Index each={label().lines}>
            {(line, i) => (
              <tspan x={label().x} dy={i === 0 ? 0 : 20}>
                {line()}
              </tspan>
            )}
          </Index>
        </text>
      </g>
    )
  }
}
