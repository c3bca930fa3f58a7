import type { AssessmentDetail, QuizQuestions } from "@compilar/domain"
import { createAsync, Navigate, revalidate, useParams } from "@solidjs/router"
import { createResource, Match, Show, Suspense, Switch } from "solid-js"
import { PageLoading } from "../../components/PageLoading.js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { toaster } from "../../lib/toast.js"
import { getAssessment, loadQuiz } from "./assessment.data.js"
import { Generating } from "./components/Generating.js"
import { LoadFailed, StatePanel } from "./components/StatePanel.js"
import { Quiz } from "./Quiz.js"
import { pillarOf } from "./labels.js"
import { tagOf } from "./outcome.js"
import "./assess.css"

/**
 * `/assess/:id`: the quiz of one assessment. Loads the assessment (with the answers given so
 * far, here or anywhere), then its quiz — generating it the first time, with a friendly waiting
 * state — and opens it at the first unanswered question. A completed assessment goes straight
 * to its results.
 */
export default function QuizPage() {
  const params = useParams<{ id: string }>()
  const userId = () => currentUser()?.id ?? ""
  const detail = createAsync(() => getAssessment(userId(), params.id))
  const retry = () => void revalidate(getAssessment.keyFor(userId(), params.id))

  usePageTitle(() => {
    const loaded = detail()
    return loaded?._tag === "ok" ? `${pillarOf(loaded.value.pillar).title} · Quiz` : "Quiz"
  })

  return (
    <div class="assess quiz-page">
      <Suspense fallback={<PageLoading />}>
        <Switch>
          <Match when={detail()?._tag === "failed" && detail()} keyed>
            {(failed) =>
              failed._tag !== "failed" ? null : tagOf(failed.cause) === "NotFound" ? (
                <div class="container page">
                  <StatePanel
                    icon="search"
                    title="No such assessment"
                    text="It may have been deleted, or it belongs to another account."
                    link={{ href: "/assess", label: "Start an assessment" }}
                  />
                </div>
              ) : (
                <div class="container page">
                  <LoadFailed error={failed.error} retry={retry} link={{ href: "/history", label: "Your history" }} />
                </div>
              )}
          </Match>
          <Match when={detail()?._tag === "ok" && detail()} keyed>
            {(loaded) =>
              loaded._tag !== "ok" ? null : loaded.value.status === "completed" ? (
                <Navigate href={`/assess/${loaded.value.id}/results`} />
              ) : (
                <QuizLoader detail={loaded.value} />
              )}
          </Match>
        </Switch>
      </Suspense>
    </div>
  )
}

/** Reads or generates the quiz, then hands over to the quiz itself. */
function QuizLoader(props: { detail: AssessmentDetail }) {
  const [quiz, { refetch }] = createResource(
    () => ({ id: props.detail.id, generated: props.detail.questionCount > 0 }),
    async ({ id, generated }) => {
      const outcome = await loadQuiz(id, generated)
      if (!generated && outcome._tag === "ok") {
        toaster.success("Your quiz is ready", `${outcome.value.questions.length} statements, one at a time.`)
      }
      return outcome
    }
  )
  return (
    <Suspense fallback={<Generating pillar={props.detail.pillar} fresh={props.detail.questionCount === 0} />}>
      <Show when={quiz()} keyed>
        {(loaded) =>
          loaded._tag === "failed" ? (
            <div class="container page">
              <LoadFailed
                error={{
                  ...loaded.error,
                  title: props.detail.questionCount === 0 ? "Your quiz could not be written" : loaded.error.title,
                  retryable: true
                }}
                retry={() => void refetch()}
                link={{ href: "/assess", label: "Back to the deck" }}
              />
            </div>
          ) : (
            <Quiz detail={props.detail} quiz={loaded.value satisfies QuizQuestions} />
          )}
      </Show>
    </Suspense>
  )
}
