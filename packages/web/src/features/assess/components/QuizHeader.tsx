import type { ModeId, PillarId } from "@compilar/domain"
import { For, Match, Switch } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { QueueSnapshot } from "../answerQueue.js"
import { dimensionOf, modeName, pillarOf } from "../labels.js"
import type { Answers } from "../quiz.js"

/**
 * Above the quiz: which pillar, how far along (a bar and one dot per statement, each a button
 * to go back to it), and whether every answer is safely saved.
 */
export function QuizHeader(props: {
  pillar: PillarId
  mode: ModeId
  index: number
  answered: number
  total: number
  queue: QueueSnapshot
  online: boolean
  reachable: number
  answers: Answers
  ids: ReadonlyArray<string>
  onGo: (index: number) => void
}) {
  const pillar = () => pillarOf(props.pillar)
  const waiting = () => props.queue.pending.length
  const percent = () => (props.total === 0 ? 0 : Math.round((props.answered / props.total) * 100))
  return (
    <header class="quiz-header" data-dimension={dimensionOf(pillar()).id}>
      <div class="quiz-header__top">
        <span class="pillar-card__letter" aria-hidden="true">
          {dimensionOf(pillar()).letter}
        </span>
        <div class="quiz-header__heading">
          <p class="quiz-header__meta">
            {modeName(props.mode)} · {dimensionOf(pillar()).name}
          </p>
          <h1 id="page-title" class="quiz-header__title">
            {pillar().title}
          </h1>
        </div>
        <p class="quiz-header__saving" data-state={waiting() === 0 ? "saved" : props.online ? "saving" : "offline"}>
          <Switch>
            <Match when={waiting() === 0}>
              <Icon name="check" />
              <span>{props.answered === 0 ? "Answers save as you go" : "All answers saved"}</span>
            </Match>
            <Match when={!props.online}>
              <Icon name="alert" />
              <span>
                Offline · {waiting()} {waiting() === 1 ? "answer" : "answers"} kept on this device
              </span>
            </Match>
            <Match when={props.queue.retryAt !== undefined}>
              <Icon name="clock" />
              <span>
                {waiting()} {waiting() === 1 ? "answer" : "answers"} waiting to retry
              </span>
            </Match>
            <Match when={true}>
              <span class="spinner spinner--small" aria-hidden="true" />
              <span>Saving…</span>
            </Match>
          </Switch>
        </p>
      </div>
      <div class="quiz-progress">
        <div
          class="quiz-progress__bar"
          role="progressbar"
          aria-label="Statements answered"
          aria-valuemin={0}
          aria-valuemax={props.total}
          aria-valuenow={props.answered}
          aria-valuetext={`${props.answered} of ${props.total} answered`}
        >
          <span class="quiz-progress__fill" style={{ "--progress": `${percent()}%` }} />
        </div>
        <ol class="quiz-steps" aria-label="Statements">
          <For each={props.ids}>
            {(id, i) => (
              <li>
                <button
                  type="button"
                  class="quiz-steps__dot"
                  classList={{ "is-answered": props.answers[id] !== undefined, "is-current": i() === props.index }}
                  aria-current={i() === props.index ? "step" : undefined}
                  disabled={i() > props.reachable}
                  onClick={() => props.onGo(i())}
                >
                  <span class="visually-hidden">
                    Statement {i() + 1}
                    {props.answers[id] !== undefined ? ", answered" : ""}
                  </span>
                </button>
              </li>
            )}
          </For>
        </ol>
      </div>
    </header>
  )
}
