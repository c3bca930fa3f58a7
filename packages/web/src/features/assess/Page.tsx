import type { CreateAssessment, ModeId } from "@compilar/domain"
import { createAsync, useNavigate, useSearchParams } from "@solidjs/router"
import { createMemo, createSignal, For, Show, Suspense } from "solid-js"
import { Icon } from "../../components/Icon.js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { toaster } from "../../lib/toast.js"
import { ModeSwitch } from "../catalogue/components/ModeSwitch.js"
import { parseMode } from "../catalogue/mode.js"
import { allModes, catalogueOf } from "../catalogue/Page.data.js"
import { listAssessments } from "../history/Page.data.js"
import { startAssessment } from "./assessment.data.js"
import { DrawCard } from "./components/DrawCard.js"
import { PillarChoice } from "./components/PillarChoice.js"
import { ResumeList } from "./components/ResumeList.js"
import { pillarOf } from "./labels.js"
import "../catalogue/catalogue.css"
import "./assess.css"

/**
 * Assess, step one: draw a card (a pillar at random, of any mode or of the one shown) or pick
 * a pillar in a mode (`?mode=`). Starting creates the assessment and opens its quiz, which is
 * generated there. Assessments still open are offered first, to pick up where the learner was.
 */
export default function AssessPage() {
  const [params, setParams] = useSearchParams<{ mode: string }>()
  const navigate = useNavigate()
  const mode = () => parseMode(params.mode)
  const catalogue = createMemo(() => catalogueOf(mode()))
  const userId = () => currentUser()?.id ?? ""
  const recent = createAsync(() => listAssessments(userId(), undefined))
  const open = () => {
    const page = recent()
    return page?._tag === "ok" ? page.value.items.filter((a) => a.status !== "completed") : []
  }

  /** What is being started: a pillar id, "draw", or nothing. One at a time: a double click starts one assessment. */
  const [starting, setStarting] = createSignal<string | undefined>(undefined)

  usePageTitle("Assess")

  const start = async (which: string, payload: CreateAssessment) => {
    if (starting() !== undefined) return
    setStarting(which)
    const outcome = await startAssessment(payload)
    setStarting(undefined)
    if (outcome._tag === "failed") return
    const pillar = pillarOf(outcome.value.pillar)
    toaster.success(
      payload.draw === true ? `You drew ${pillar.title}` : `${pillar.title} it is`,
      "Your assessment has started. Your quiz is being written."
    )
    navigate(`/assess/${outcome.value.id}`)
  }

  const draw = (onlyMode?: ModeId) =>
    start(onlyMode === undefined ? "draw" : `draw-${onlyMode}`, onlyMode === undefined ? { draw: true } : { draw: true, mode: onlyMode })

  return (
    <div class="assess catalogue" data-mode={mode()}>
      <section class="assess-hero" aria-labelledby="page-title">
        <div class="container assess-hero__inner">
          <div class="assess-hero__text">
            <p class="eyebrow">Assessment</p>
            <h1 id="page-title" class="assess-hero__title">
              See where your group stands
            </h1>
            <p class="lede">
              Draw a card for a pillar at random, or choose one below. You'll rate ten statements about how your group
              really works, from strongly disagree to strongly agree, then get a score for each of the pillar's four
              forces — with coaching on what to try next.
            </p>
          </div>
          <DrawCard
            busy={starting()}
            mode={catalogue().mode}
            onDraw={() => void draw()}
            onDrawMode={() => void draw(mode())}
          />
        </div>
      </section>

      {/* Its own boundary: the deck shows at once, the list joins it when it arrives. */}
      <Suspense>
        <Show when={open().length > 0}>
          <section class="container assess-section" aria-labelledby="resume-title">
            <h2 id="resume-title" class="assess-section__title">
              Pick up where you left off
            </h2>
            <ResumeList items={open()} />
          </section>
        </Show>
      </Suspense>

      <section class="container assess-section" aria-labelledby="choose-title">
        <div class="catalogue__toolbar">
          <div>
            <h2 id="choose-title" class="catalogue__title">
              Or choose one of the {catalogue().mode.name.toLowerCase()} pillars
            </h2>
            <p class="catalogue__summary">{catalogue().mode.summary}</p>
          </div>
          <ModeSwitch modes={allModes} value={mode()} onChange={(next) => setParams({ mode: next })} />
        </div>
        <ul class="pillar-grid" aria-label={`${catalogue().mode.name} pillars`}>
          <For each={catalogue().cards}>
            {(card) => (
              <li class="pillar-grid__item">
                <PillarChoice
                  model={card}
                  busy={starting() === card.pillar.id}
                  disabled={starting() !== undefined}
                  onStart={() => void start(card.pillar.id, { pillar: card.pillar.id, mode: card.pillar.mode })}
                />
              </li>
            )}
          </For>
        </ul>
        <p class="assess-note">
          <Icon name="info" />
          <span>Your answers are saved as you go: you can stop at any time and come back from this page or your history.</span>
        </p>
      </section>
    </div>
  )
}
