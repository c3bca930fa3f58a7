import { type Connection, connectionsFrom, connectionsTo, type ConnectionType, type Pillar } from "@compilar/domain"
import { A } from "@solidjs/router"
import { createEffect, For, type JSX, Match, on, Show, Switch } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import {
  connectionName,
  dimensionOf,
  type ExplorerModel,
  forcesOfPillar,
  formatStrength,
  pillarOf,
  predictedEffect,
  reverseOf,
  type Selection,
  selectionParam,
  strengthWord,
  typeCounts,
  typeLabel,
  typeMeaning
} from "../Page.data.js"
import { TypeSwatch } from "./TypeSwatch.js"

const headingId = "detail-title"

/**
 * The detail panel beside the graph (below it on narrow screens): a pillar, a force or a
 * connection, or a short guide when nothing is selected. Everything it mentions is a button that
 * selects it; after such a jump the panel's heading takes focus, so keyboard and screen-reader
 * users land on the new content.
 */
export function DetailPanel(props: {
  model: ExplorerModel
  selection: Selection | undefined
  onSelect: (selection: Selection) => void
  onClear: () => void
}) {
  let focusNext = false
  const go = (selection: Selection) => {
    focusNext = true
    props.onSelect(selection)
  }

  createEffect(
    on(
      () => (props.selection ? selectionParam(props.selection) : ""),
      () => {
        if (!focusNext) return
        focusNext = false
        document.getElementById(headingId)?.focus({ preventScroll: false })
      },
      { defer: true }
    )
  )

  return (
    <aside
      class="detail-panel"
      aria-labelledby={headingId}
      data-kind={props.selection?.kind ?? "none"}
      data-dimension={props.selection?.kind === "connection" ? undefined : props.selection?.pillar.dimension}
      data-type={props.selection?.kind === "connection" ? props.selection.connection.type : undefined}
    >
      <Show when={props.selection}>
        <button type="button" class="icon-button detail-panel__close" aria-label="Clear selection" onClick={() => props.onClear()}>
          <Icon name="close" />
        </button>
      </Show>
      <Switch fallback={<Guide model={props.model} onSelect={go} />}>
        <Match when={props.selection?.kind === "connection" && props.selection.connection}>
          {(connection) => <ConnectionDetail connection={connection()} onSelect={go} />}
        </Match>
        <Match when={props.selection?.kind === "pillar" && props.selection.pillar}>
          {(pillar) => <PillarDetail pillar={pillar()} onSelect={go} />}
        </Match>
        <Match when={props.selection?.kind === "force" && props.selection}>
          {(selection) => <ForceDetail selection={selection()} onSelect={go} />}
        </Match>
      </Switch>
    </aside>
  )
}

function Heading(props: { eyebrow: JSX.Element; children: JSX.Element; aside?: JSX.Element }) {
  return (
    <header class="detail-panel__head">
      <p class="detail-panel__eyebrow">{props.eyebrow}</p>
      <div class="detail-panel__title-row">
        <h2 id={headingId} class="detail-panel__title" tabindex="-1">
          {props.children}
        </h2>
        {props.aside}
      </div>
    </header>
  )
}

function Guide(props: { model: ExplorerModel; onSelect: (selection: Selection) => void }) {
  const counts = () => typeCounts(props.model.connections)
  const strongest = () => [...props.model.connections].sort((a, b) => b.strength - a.strength)[0]
  return (
    <div class="detail-panel__body">
      <Heading eyebrow={`${props.model.mode.name} mode`}>Pick a pillar, force or connection</Heading>
      <p class="detail-panel__lead">
        Every pillar pushes on the other four. Select an arrow to see what it predicts, a circle to see a pillar's
        connections, or a force in the matrix below.
      </p>
      <ul class="type-summary">
        <For each={["reinforce", "inverse", "discretionary"] as const}>
          {(type) => (
            <li class="type-summary__item" data-type={type}>
              <TypeSwatch type={type} />
              <span>
                <strong>
                  {counts()[type]} {typeLabel[type].toLowerCase()}
                </strong>{" "}
                <span class="detail-panel__muted">{typeMeaning[type]}</span>
              </span>
            </li>
          )}
        </For>
      </ul>
      <Show when={strongest()}>
        {(connection) => (
          <div class="detail-section">
            <h3 class="label">Strongest push in this mode</h3>
            <ConnectionRow connection={connection()} show="both" onSelect={props.onSelect} />
          </div>
        )}
      </Show>
      <p class="detail-panel__hint">
        <Icon name="info" />
        <span>Keyboard: Tab into the graph, arrow keys to move, Enter to select.</span>
      </p>
    </div>
  )
}

function TypeBadge(props: { type: ConnectionType }) {
  return (
    <span class="type-badge" data-type={props.type}>
      <TypeSwatch type={props.type} />
      {typeLabel[props.type]}
    </span>
  )
}

function PillarButton(props: { pillar: Pillar; onSelect: (selection: Selection) => void }) {
  return (
    <button
      type="button"
      class="pillar-chip"
      data-dimension={props.pillar.dimension}
      onClick={() => props.onSelect({ kind: "pillar", pillar: props.pillar })}
    >
      <span class="pillar-chip__letter" aria-hidden="true">
        {dimensionOf(props.pillar).letter}
      </span>
      {props.pillar.title}
    </button>
  )
}

function StrengthMeter(props: { strength: number }) {
  return (
    <span class="strength">
      <svg class="strength__bar" viewBox="0 0 100 8" aria-hidden="true">
        <rect class="strength__track" width="100" height="8" rx="4" />
        <rect class="strength__fill" width={props.strength * 100} height="8" rx="4" />
      </svg>
      <span class="strength__value">{formatStrength(props.strength)}</span>
      <span class="detail-panel__muted">{strengthWord(props.strength)}</span>
    </span>
  )
}

function ConnectionDetail(props: { connection: Connection; onSelect: (selection: Selection) => void }) {
  const from = () => pillarOf(props.connection.from)
  const to = () => pillarOf(props.connection.to)
  const reverse = () => reverseOf(props.connection)
  return (
    <div class="detail-panel__body">
      <Heading eyebrow={`Connection · ${props.connection.id}`} aside={<TypeBadge type={props.connection.type} />}>
        {connectionName(props.connection)}
      </Heading>

      <dl class="route">
        <div class="route__end">
          <dt>From</dt>
          <dd>
            <PillarButton pillar={from()} onSelect={props.onSelect} />
          </dd>
        </div>
        <div class="route__end">
          <dt>To</dt>
          <dd>
            <PillarButton pillar={to()} onSelect={props.onSelect} />
          </dd>
        </div>
      </dl>

      <div class="effect" data-type={props.connection.type}>
        <h3 class="label">Predicted effect</h3>
        <p class="effect__text">{predictedEffect(props.connection)}</p>
      </div>

      <dl class="facts">
        <div>
          <dt>Type</dt>
          <dd>
            {typeLabel[props.connection.type]}
            <span class="detail-panel__muted"> — {typeMeaning[props.connection.type]}</span>
          </dd>
        </div>
        <div>
          <dt>Strength</dt>
          <dd>
            <StrengthMeter strength={props.connection.strength} />
          </dd>
        </div>
      </dl>

      <section class="detail-section">
        <h3 class="label">What happens</h3>
        <p>{props.connection.description}</p>
      </section>
      <section class="detail-section">
        <h3 class="label">For example</h3>
        <blockquote class="example">{props.connection.example}</blockquote>
      </section>

      <Show when={reverse()}>
        {(back) => (
          <section class="detail-section">
            <h3 class="label">The other way round</h3>
            <ConnectionRow connection={back()} show="both" onSelect={props.onSelect} />
          </section>
        )}
      </Show>
    </div>
  )
}

/** One connection as a button: type swatch, name, the pillar at the other end, strength. */
function ConnectionRow(props: {
  connection: Connection
  show: "from" | "to" | "both"
  onSelect: (selection: Selection) => void
}) {
  const other = () =>
    props.show === "to"
      ? `to ${pillarOf(props.connection.to).title}`
      : props.show === "from"
        ? `from ${pillarOf(props.connection.from).title}`
        : `${pillarOf(props.connection.from).title} → ${pillarOf(props.connection.to).title}`
  return (
    <button
      type="button"
      class="connection-row"
      data-type={props.connection.type}
      data-select-connection={props.connection.id}
      onClick={() => props.onSelect({ kind: "connection", connection: props.connection })}
    >
      <TypeSwatch type={props.connection.type} />
      <span class="connection-row__text">
        <span class="connection-row__name">{connectionName(props.connection)}</span>
        <span class="connection-row__other">{other()}</span>
      </span>
      <span class="connection-row__meta">
        <span class="visually-hidden">{props.connection.type}, strength </span>
        {formatStrength(props.connection.strength)}
      </span>
    </button>
  )
}

function PillarDetail(props: { pillar: Pillar; onSelect: (selection: Selection) => void }) {
  const dimension = () => dimensionOf(props.pillar)
  return (
    <div class="detail-panel__body">
      <Heading
        eyebrow={`Pillar · ${dimension().name}`}
        aside={<span class="chip">{props.pillar.abbreviation}</span>}
      >
        {props.pillar.title}
      </Heading>
      <p class="detail-panel__lead">{props.pillar.measures}</p>
      <p>{props.pillar.description}</p>

      <section class="detail-section">
        <h3 class="label">Forces</h3>
        <ul class="force-buttons">
          <For each={forcesOfPillar(props.pillar.id)}>
            {(force) => (
              <li>
                <button
                  type="button"
                  class="force-button"
                  onClick={() => props.onSelect({ kind: "force", force, pillar: props.pillar })}
                >
                  {force.name}
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>

      <div class="bands">
        <section class="band" data-band="high">
          <h3 class="label">When it's high</h3>
          <ul class="band__list">
            <For each={props.pillar.highLooksLike}>{(line) => <li>{line}</li>}</For>
          </ul>
        </section>
        <section class="band" data-band="low">
          <h3 class="label">When it's low</h3>
          <ul class="band__list">
            <For each={props.pillar.lowLooksLike}>{(line) => <li>{line}</li>}</For>
          </ul>
        </section>
      </div>

      <section class="detail-section">
        <h3 class="label">Pushes on (outgoing)</h3>
        <ul class="connection-list">
          <For each={connectionsFrom(props.pillar.id)}>
            {(connection) => (
              <li>
                <ConnectionRow connection={connection} show="to" onSelect={props.onSelect} />
              </li>
            )}
          </For>
        </ul>
      </section>
      <section class="detail-section">
        <h3 class="label">Pushed by (incoming)</h3>
        <ul class="connection-list">
          <For each={connectionsTo(props.pillar.id)}>
            {(connection) => (
              <li>
                <ConnectionRow connection={connection} show="from" onSelect={props.onSelect} />
              </li>
            )}
          </For>
        </ul>
      </section>

      <A class="detail-panel__more" href={`/?mode=${props.pillar.mode}&pillar=${props.pillar.id}`}>
        Reflective questions in the catalogue
        <Icon name="arrowRight" />
      </A>
    </div>
  )
}

function ForceDetail(props: {
  selection: Extract<Selection, { kind: "force" }>
  onSelect: (selection: Selection) => void
}) {
  const force = () => props.selection.force
  const pillar = () => props.selection.pillar
  const siblings = () => forcesOfPillar(pillar().id).filter((f) => f.id !== force().id)
  return (
    <div class="detail-panel__body">
      <Heading eyebrow={`Force · ${pillar().title}`}>{force().name}</Heading>
      <p class="detail-panel__lead">{force().description}</p>

      <div class="bands">
        <section class="band" data-band="high">
          <h3 class="label">Strong signal</h3>
          <p>{force().highSignal}</p>
        </section>
        <section class="band" data-band="low">
          <h3 class="label">Weak signal</h3>
          <p>{force().lowSignal}</p>
        </section>
      </div>

      <section class="detail-section">
        <h3 class="label">Its pillar</h3>
        <div>
          <PillarButton pillar={pillar()} onSelect={props.onSelect} />
        </div>
        <p class="detail-panel__muted">{pillar().measures}</p>
      </section>

      <section class="detail-section">
        <h3 class="label">The other forces of {pillar().title}</h3>
        <ul class="force-buttons">
          <For each={siblings()}>
            {(sibling) => (
              <li>
                <button
                  type="button"
                  class="force-button"
                  onClick={() => props.onSelect({ kind: "force", force: sibling, pillar: pillar() })}
                >
                  {sibling.name}
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>
    </div>
  )
}
