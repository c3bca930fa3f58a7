import type { ModeId, PillarId } from "@compilar/domain"
import { A, useSearchParams } from "@solidjs/router"
import { createMemo, For } from "solid-js"
import { Icon } from "../../components/Icon.js"
import { usePageTitle } from "../../lib/title.js"
import { ModeSwitch } from "./components/ModeSwitch.js"
import { PillarCard } from "./components/PillarCard.js"
import { PillarDialog } from "./components/PillarDialog.js"
import { parseMode, parsePillar } from "./mode.js"
import { allModes, catalogueOf } from "./Page.data.js"
import "./catalogue.css"

/** Home: the PILAR catalogue, one mode at a time (`?mode=`), each pillar a card with details. */
export default function CataloguePage() {
  const [params, setParams] = useSearchParams<{ mode: string; pillar: string }>()
  const mode = () => parseMode(params.mode)
  const focusPillar = () => parsePillar(params.pillar)
  const catalogue = createMemo(() => catalogueOf(mode()))

  /** The card whose details are open: `?pillar=`, when it names a pillar of the current mode. */
  const selected = createMemo(() => {
    const id = focusPillar()
    return id === undefined ? undefined : catalogue().cards.find((c) => c.pillar.id === id)
  })

  usePageTitle(() => {
    const open = selected()
    return open ? `${open.pillar.title} · ${catalogue().mode.name} pillars` : `${catalogue().mode.name} pillars`
  })

  const chooseMode = (next: ModeId) => setParams({ mode: next, pillar: undefined })

  const openDetails = (id: PillarId) => setParams({ mode: mode(), pillar: id })

  const closeDetails = () => {
    const id = focusPillar()
    if (id === undefined) return
    setParams({ pillar: undefined }, { replace: true })
    // Back to where the learner was: the card's "View details" button.
    queueMicrotask(() => document.querySelector<HTMLElement>(`[data-open-pillar="${id}"]`)?.focus())
  }

  return (
    <div class="catalogue" data-mode={mode()}>
      <section class="hero" aria-labelledby="page-title">
        <div class="container hero__inner">
          <div class="hero__text">
            <p class="eyebrow">The PILAR framework</p>
            <h1 id="page-title" class="hero__title">
              Understand how your group really works
            </h1>
            <p class="lede">
              PILAR describes how people coordinate in groups through five dimensions — <strong>P</strong>rospects,{" "}
              <strong>I</strong>nvolved, <strong>L</strong>iked, <strong>A</strong>gency and <strong>R</strong>espect —
              each with a pillar in two modes of working. Explore them, then assess your own group.
            </p>
            <div class="button-row">
              <A class="button button--primary" href={`/assess?mode=${mode()}`}>
                Start an assessment
                <Icon name="arrowRight" />
              </A>
              <A class="button button--ghost" href="/explorer">
                See the connections
              </A>
            </div>
          </div>
          <dl class="hero__stats" aria-label="The framework in numbers">
            <div>
              <dt>Modes</dt>
              <dd>2</dd>
            </div>
            <div>
              <dt>Dimensions</dt>
              <dd>5</dd>
            </div>
            <div>
              <dt>Pillars</dt>
              <dd>10</dd>
            </div>
            <div>
              <dt>Forces</dt>
              <dd>40</dd>
            </div>
          </dl>
        </div>
      </section>

      <section class="container catalogue__body" aria-labelledby="pillars-title">
        <div class="catalogue__toolbar">
          <div>
            <h2 id="pillars-title" class="catalogue__title">
              {catalogue().mode.name} pillars
            </h2>
            <p class="catalogue__summary">{catalogue().mode.summary}</p>
          </div>
          <ModeSwitch modes={allModes} value={mode()} onChange={chooseMode} />
        </div>

        <p class="visually-hidden" aria-live="polite">
          Showing {catalogue().cards.length} {catalogue().mode.name.toLowerCase()} pillars
        </p>

        <ul class="pillar-grid" aria-label={`${catalogue().mode.name} pillars`}>
          <For each={catalogue().cards}>
            {(card) => (
              <li class="pillar-grid__item">
                <PillarCard model={card} onOpen={() => openDetails(card.pillar.id)} />
              </li>
            )}
          </For>
          <li class="pillar-grid__item">
            <aside class="assess-callout" aria-labelledby="assess-callout-title">
              <h3 id="assess-callout-title" class="assess-callout__title">
                Where does your group stand?
              </h3>
              <p>
                Pick one of these pillars, answer a short quiz, and get a score for each of its forces with coaching on
                what to try next.
              </p>
              <A class="button button--primary" href={`/assess?mode=${mode()}`}>
                Start an assessment
                <Icon name="arrowRight" />
              </A>
            </aside>
          </li>
        </ul>

        <details class="mode-about">
          <summary>
            About the {catalogue().mode.name.toLowerCase()} mode
            <Icon name="chevronDown" />
          </summary>
          <p>{catalogue().mode.description}</p>
          <p>
            Every pillar here has a counterpart in the {catalogue().otherMode.name.toLowerCase()} mode, in the same
            dimension.{" "}
            <A href={`/?mode=${catalogue().otherMode.id}`}>Switch to {catalogue().otherMode.name.toLowerCase()}</A>.
          </p>
        </details>
      </section>

      <PillarDialog model={selected()} onClose={closeDetails} />
    </div>
  )
}
