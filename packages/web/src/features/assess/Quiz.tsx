import type { AssessmentDetail, QuizQuestions } from "@compilar/domain"
import { revalidate, useNavigate } from "@solidjs/router"
import { createEffect, createMemo, createSignal, on, onCleanup, onMount, Show } from "solid-js"
import { currentUser } from "../../lib/session/state.js"
import { toaster } from "../../lib/toast.js"
import { completeAssessment, getAssessment, getResults } from "./assessment.data.js"
import { QuestionCard } from "./components/QuestionCard.js"
import { QuizHeader } from "./components/QuizHeader.js"
import { ReviewStep } from "./components/ReviewStep.js"
import { listAssessments } from "../history/Page.data.js"
import { getProgress } from "../progress/Page.data.js"
import { dimensionOf, pillarOf } from "./labels.js"
import { tagOf } from "./outcome.js"
import { afterRefresh, answeredCount, clampIndex, firstUnanswered, resumeIndex, valueOfKey } from "./quiz.js"
import { createQuizSession } from "./quizSession.js"

/**
 * The quiz: one statement at a time, answered with the 1–5 buttons or keys, each answer saved
 * as it is given (see `createQuizSession`), then a review step with "See my results".
 *
 * A double click answers once: the second click of a double click (`detail` 2) is ignored, so it
 * cannot land on the next statement's button, which appears under the pointer.
 */
export function Quiz(props: { detail: AssessmentDetail; quiz: QuizQuestions }) {
  const navigate = useNavigate()
  const questions = () => props.quiz.questions
  const ids = createMemo(() => questions().map((q) => q.id as string))
  const total = () => ids().length
  const resultsHref = () => `/assess/${props.detail.id}/results`

  const forgetCached = () => {
    const userId = currentUser()?.id ?? ""
    void revalidate([
      getAssessment.keyFor(userId, props.detail.id),
      getResults.keyFor(userId, props.detail.id),
      listAssessments.key,
      getProgress.key
    ])
  }

  const session = createQuizSession({
    assessmentId: props.detail.id,
    userId: currentUser()?.id ?? "",
    initialAnswers: props.detail.answers,
    onCompletedElsewhere: () => {
      toaster.info("Already completed", "This assessment was completed in another tab or on another device.")
      forgetCached()
      navigate(resultsHref(), { replace: true })
    }
  })

  const [index, setIndex] = createSignal(resumeIndex(ids(), session.answers()))
  const [completing, setCompleting] = createSignal(false)
  const current = () => questions()[index()]
  const answered = () => answeredCount(ids(), session.answers())

  // Answers given elsewhere (another tab, a refresh) may answer the statement shown: move on then.
  // This tab's own answers move it too, but `answer` sets the position right after, so it decides.
  createEffect(
    on(session.answers, (after, before) => {
      if (before !== undefined) setIndex((current) => afterRefresh(current, ids(), before, after))
    })
  )

  let statement: HTMLHeadingElement | undefined
  // A new statement: move focus to it, so a screen reader reads it and the keys keep working.
  createEffect(on(index, () => queueMicrotask(() => statement?.focus({ preventScroll: true })), { defer: true }))

  const answer = (value: number) => {
    const question = current()
    if (question === undefined) return
    const before = session.answers()
    const wasOpen = before[question.id] === undefined
    if (before[question.id] !== value || session.queue().states[question.id] === "failed") session.give(question.id, value)
    const after = session.answers()
    // A first answer moves on to the next open statement; a changed one to the statement after it.
    setIndex(wasOpen ? firstUnanswered(ids(), after) : clampIndex(index() + 1, ids(), after))
  }

  const go = (target: number) => setIndex(clampIndex(target, ids(), session.answers()))

  const complete = async () => {
    if (completing()) return
    setCompleting(true)
    const outcome = await completeAssessment(props.detail.id)
    setCompleting(false)
    if (outcome._tag === "ok") {
      session.finish()
      toaster.success("Assessment complete", "Here are your scores. Your coaching is being written.")
      forgetCached()
      navigate(resultsHref())
      return
    }
    if (tagOf(outcome.cause) === "AnswersIncomplete") {
      // The server misses an answer this tab thought it had: read its answers and go to the gap.
      toaster.error("Some answers are missing", "Please answer the statements that are still open.")
      await session.refresh()
      go(firstUnanswered(ids(), session.answers()))
    }
  }

  // The assessment may come from the router's cache (Back, a quick return): read the answers afresh.
  onMount(() => void session.refresh())

  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
      const target = event.target
      if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable], dialog")) return
      const value = valueOfKey(event.key)
      if (value !== undefined && index() < total()) {
        event.preventDefault()
        answer(value)
      } else if (event.key === "ArrowLeft" || (event.key === "Backspace" && index() > 0)) {
        event.preventDefault()
        go(index() - 1)
      } else if (event.key === "ArrowRight") {
        event.preventDefault()
        go(index() + 1)
      }
    }
    document.addEventListener("keydown", onKey)
    onCleanup(() => document.removeEventListener("keydown", onKey))
  })

  return (
    <div class="container quiz" data-dimension={dimensionOf(pillarOf(props.detail.pillar)).id}>
      <QuizHeader
        pillar={props.detail.pillar}
        mode={props.detail.mode}
        index={index()}
        answered={answered()}
        total={total()}
        queue={session.queue()}
        online={session.online()}
        reachable={firstUnanswered(ids(), session.answers())}
        answers={session.answers()}
        ids={ids()}
        onGo={go}
      />
      <Show
        when={current()}
        fallback={
          <ReviewStep
            questions={questions()}
            answers={session.answers()}
            queue={session.queue()}
            online={session.online()}
            completing={completing()}
            onChange={go}
            onComplete={() => void complete()}
          />
        }
        keyed
      >
        {(question) => (
          <QuestionCard
            question={question}
            number={index() + 1}
            total={total()}
            value={session.answers()[question.id]}
            state={session.queue().states[question.id]}
            online={session.online()}
            ref={(el) => (statement = el)}
            onAnswer={answer}
            onBack={index() > 0 ? () => go(index() - 1) : undefined}
            onNext={session.answers()[question.id] !== undefined ? () => go(index() + 1) : undefined}
          />
        )}
      </Show>
    </div>
  )
}
