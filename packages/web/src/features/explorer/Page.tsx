import { type ConnectionId, connectionById, type ModeId, pillarById } from "@compilar/domain"
import { useSearchParams } from "@solidjs/router"
import { Option } from "effect"
import { createMemo, onCleanup, onMount } from "solid-js"
import { usePageTitle } from "../../lib/title.js"
import { ModeSwitch } from "../catalogue/components/ModeSwitch.js"
import { DetailPanel } from "./components/DetailPanel.js"
import { ForceMatrix } from "./components/ForceMatrix.js"
import { GraphLegend } from "./components/GraphLegend.js"
import { PilarGraph } from "./components/PilarGraph.js"
import {
  allModes,
  connectionName,
  explorerOf,
  parseModeParam,
  parseSelection,
  type Selection,
  selectionMode,
  selectionParam
} from "./Page.data.js"
import "./explorer.css"

const defaultMode: ModeId = "egalitarian"

/** What a selection becomes in the other mode: a pillar its counterpart, a connection the one between the counterparts. */
const carryOver = (selection: Selection, mode: ModeId): Selection | undefined => {
  if (selectionMode(selection) === mode) return selection
  if (selection.kind === "connection") {
    const id = `${mode === "egalitarian" ? "E" : "H"}${selection.connection.id.slice(1)}` as ConnectionId
    return Option.match(connectionById(id), {
      onNone: () => undefined,
      onSome: (connection) => ({ kind: "connection", connection })
    })
  }
  return Option.match(pillarById(selection.pillar.counterpart), {
    onNone: () => undefined,
    onSome: (pillar) => ({ kind: "pillar", pillar })
  })
}

const selectionTitle = (selection: Selection): string =>
  selection.kind === "connection"
    ? connectionName(selection.connection)
    : selection.kind === "force"
      ? selection.force.name
      : selection.pillar.title

/**
 * Explorer: per mode, the five pillars and their twenty directed connections as an interactive
 * graph, the pillar-by-force matrix and a detail panel. Mode and selection live in the URL
 * (`?mode=hierarchical&select=connection:HCP-04`), so a view can be shared and Back undoes a step.
 */
export default function ExplorerPage() {
  const [params, setParams] = useSearchParams<{ mode: string; select: string }>()
  const requested = createMemo(() => parseSelection(params.select))
  const mode = createMemo(
    (): ModeId => parseModeParam(params.mode) ?? Option.getOrElse(Option.fromNullable(requested()).pipe(Option.map(selectionMode)), () => defaultMode)
  )
  const model = createMemo(() => explorerOf(mode()))
  /** The selection, when it belongs to the mode shown. */
  const selection = createMemo(() => {
    const s = requested()
    return s !== undefined && selectionMode(s) === mode() ? s : undefined
  })

  usePageTitle(() => {
    const s = selection()
    return s ? `${selectionTitle(s)} · Explorer` : `${model().mode.name} connections · Explorer`
  })

  let panel: HTMLDivElement | undefined

  const select = (next: Selection) => setParams({ mode: mode(), select: selectionParam(next) }, { scroll: false })

  /** From the graph or the matrix: on a narrow screen the panel sits below, so bring it into view. */
  const selectAndReveal = (next: Selection) => {
    select(next)
    requestAnimationFrame(() => {
      if (!panel || window.matchMedia("(min-width: 64rem)").matches) return
      const box = panel.getBoundingClientRect()
      if (box.top > window.innerHeight - 80 || box.bottom < 0) {
        const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches
        panel.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" })
      }
    })
  }

  const clear = () => setParams({ select: undefined }, { scroll: false })

  const chooseMode = (next: ModeId) => {
    const s = selection()
    const carried = s === undefined ? undefined : carryOver(s, next)
    setParams({ mode: next, select: carried === undefined ? undefined : selectionParam(carried) }, { scroll: false })
  }

  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || selection() === undefined || event.defaultPrevented) return
      if (document.querySelector("dialog[open], .site-nav.is-open")) return
      clear()
    }
    // Capture: run before the layout's own Escape handler closes the phone menu, so one press does one thing.
    document.addEventListener("keydown", onKey, true)
    onCleanup(() => document.removeEventListener("keydown", onKey, true))
  })

  return (
    <div class="explorer" data-mode={mode()}>
      <section class="explorer-hero" aria-labelledby="page-title">
        <div class="container explorer-hero__inner">
          <div class="explorer-hero__text">
            <p class="eyebrow">Explorer</p>
            <h1 id="page-title" class="explorer-hero__title">
              How the pillars push on each other
            </h1>
            <p class="explorer-hero__lede">
              Within a mode every pillar acts on the other four: twenty directed connections that reinforce, invert
              or depend on the situation. Select one to see what it predicts.
            </p>
          </div>
          <ModeSwitch modes={allModes} value={mode()} onChange={chooseMode} />
        </div>
      </section>

      <div class="container explorer__layout">
        <section class="explorer-card explorer__graph" aria-labelledby="graph-title">
          <header class="explorer-card__head">
            <h2 id="graph-title" class="explorer-card__title">
              {model().mode.name} connections
            </h2>
            <p class="explorer-card__sub">{model().mode.summary}</p>
          </header>
          <PilarGraph model={model()} selection={selection()} onSelect={selectAndReveal} />
          <p id="graph-help" class="visually-hidden">
            Each pillar and each connection is a button. Arrow keys move between connections, or between pillars;
            Enter or Space shows the details beside the graph.
          </p>
          <GraphLegend connections={model().connections} />
        </section>

        <div class="explorer__detail" ref={panel}>
          <DetailPanel model={model()} selection={selection()} onSelect={select} onClear={clear} />
        </div>

        <section class="explorer-card explorer__matrix" aria-labelledby="matrix-title">
          <header class="explorer-card__head">
            <h2 id="matrix-title" class="explorer-card__title">
              Pillars and their forces
            </h2>
            <p class="explorer-card__sub">
              Each pillar has four forces: the facets an assessment asks about and scores. Select one for its signals.
            </p>
          </header>
          <ForceMatrix model={model()} selection={selection()} onSelect={selectAndReveal} />
        </section>
      </div>

      <p class="visually-hidden" aria-live="polite">
        {selection() ? `Showing details of ${selectionTitle(selection()!)}` : ""}
      </p>
    </div>
  )
}
