import { A, createAsync, revalidate, useNavigate, useParams } from "@solidjs/router"
import { createSignal, Match, Suspense, Switch } from "solid-js"
import { Icon } from "../../components/Icon.js"
import { PageLoading } from "../../components/PageLoading.js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { getResults } from "./assessment.data.js"
import { CoachingPanel } from "./components/CoachingPanel.js"
import { type DeleteTarget, DeleteAssessmentDialog } from "./components/DeleteAssessmentDialog.js"
import { EffectsList } from "./components/EffectsList.js"
import { ForceChart } from "./components/ForceChart.js"
import { Highlights } from "./components/Highlights.js"
import { ScoreSummary } from "./components/ScoreSummary.js"
import { LoadFailed, StatePanel } from "./components/StatePanel.js"
import { formatDate, pillarOf } from "./labels.js"
import { tagOf } from "./outcome.js"
import "../knowledge/knowledge.css"
import "./assess.css"

/**
 * `/assess/:id/results`: the pillar score and band, the four force scores as a chart, strengths
 * and growth areas, the predicted effects on connected pillars, then the coaching streaming in.
 * The assessment can be deleted from here (after a confirmation), which leads to the history.
 */
export default function ResultsPage() {
  const params = useParams<{ id: string }>()
  const userId = () => currentUser()?.id ?? ""
  const results = createAsync(() => getResults(userId(), params.id))
  const retry = () => void revalidate(getResults.keyFor(userId(), params.id))
  const navigate = useNavigate()
  const [deleting, setDeleting] = createSignal<DeleteTarget | undefined>(undefined)

  usePageTitle(() => {
    const loaded = results()
    return loaded?._tag === "ok" ? `${pillarOf(loaded.value.pillar).title} · Results` : "Results"
  })

  return (
    <div class="assess results-page">
      <Suspense fallback={<PageLoading />}>
        <Switch>
          <Match when={results()?._tag === "failed" && results()} keyed>
            {(failed) =>
              failed._tag !== "failed" ? null : (
                <div class="container page">
                  <Switch>
                    <Match when={tagOf(failed.cause) === "ResultsNotReady"}>
                      <StatePanel
                        icon="clipboard"
                        title="Not finished yet"
                        text="Results appear once every statement is answered and the assessment is completed."
                        link={{ href: `/assess/${params.id}`, label: "Back to the quiz" }}
                      />
                    </Match>
                    <Match when={tagOf(failed.cause) === "NotFound"}>
                      <StatePanel
                        icon="search"
                        title="No such assessment"
                        text="It may have been deleted, or it belongs to another account."
                        link={{ href: "/history", label: "Your history" }}
                      />
                    </Match>
                    <Match when={true}>
                      <LoadFailed error={failed.error} retry={retry} link={{ href: "/history", label: "Your history" }} />
                    </Match>
                  </Switch>
                </div>
              )}
          </Match>
          <Match when={results()?._tag === "ok" && results()} keyed>
            {(loaded) =>
              loaded._tag !== "ok" ? null : (
                <div class="container results">
                  <ScoreSummary results={loaded.value} />
                  <div class="results__grid">
                    <div class="results__main">
                      <section class="results-card">
                        <ForceChart pillar={loaded.value.pillar} scores={loaded.value.forceScores} />
                      </section>
                      <section class="results-card" aria-labelledby="highlights-title">
                        <h2 id="highlights-title" class="results-section__title">
                          Strengths and growth areas
                        </h2>
                        <Highlights strengths={loaded.value.strengths} growthAreas={loaded.value.growthAreas} />
                      </section>
                      <section class="results-card">
                        <EffectsList effects={loaded.value.effects} />
                      </section>
                    </div>
                    <div class="results__side">
                      <div class="results-card results-card--coaching">
                        <CoachingPanel assessmentId={loaded.value.assessmentId} />
                      </div>
                    </div>
                  </div>
                  <div class="button-row results__actions">
                    <A class="button button--primary" href="/assess">
                      Take another assessment
                      <Icon name="arrowRight" />
                    </A>
                    <A class="button button--ghost" href="/progress">
                      Your progress
                    </A>
                    <A class="button button--ghost" href="/history">
                      History
                    </A>
                    <button
                      type="button"
                      class="button button--ghost results__delete"
                      onClick={() =>
                        setDeleting({
                          id: loaded.value.assessmentId,
                          pillar: loaded.value.pillar,
                          when: `completed ${formatDate(loaded.value.completedAt)}`
                        })}
                    >
                      <Icon name="trash" />
                      Delete this assessment
                    </button>
                  </div>
                  <DeleteAssessmentDialog
                    target={deleting()}
                    onCancel={() => setDeleting(undefined)}
                    onDeleted={() => {
                      setDeleting(undefined)
                      // Replace: going back would only find it gone.
                      navigate("/history", { replace: true })
                    }}
                  />
                </div>
              )}
          </Match>
        </Switch>
      </Suspense>
    </div>
  )
}
