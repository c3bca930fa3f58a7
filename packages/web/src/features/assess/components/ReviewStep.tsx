import type { Question } from "@compilar/domain"
import { For, Match, Show, Switch } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { QueueSnapshot } from "../answerQueue.js"
import { type Answers, scale } from "../quiz.js"

/**
 * After the last statement: every answer at a glance (each with a way back to change it) and
 * "See my results", which waits until the server has every answer.
 */
export function ReviewStep(props: {
  questions: ReadonlyArray<Question>
  answers: Answers
  queue: QueueSnapshot
  online: boolean
  completing: boolean
  onChange: (index: number) => void
  onComplete: () => void
}) {
  const waiting = () => props.queue.pending.length
  const labelOf = (value: number | undefined) => scale.find((p) => p.value === value)?.label ?? "Not answered"
  return (
    <section class="review" aria-labelledby="review-title">
      <div class="review__head">
        <span class="review__icon" aria-hidden="true">
          <Icon name="check" />
        </span>
        <div>
          <h2 id="review-title" class="review__title" tabindex="-1">
            All {props.questions.length} statements answered
          </h2>
          <p class="review__text">Look them over if you like, then see your scores.</p>
        </div>
      </div>
      <ol class="review__list">
        <For each={props.questions}>
          {(question, i) => (
            <li class="review__item">
              <span class="review__number" aria-hidden="true">
                {i() + 1}
              </span>
              <span class="review__statement">{question.text}</span>
              <span class="review__answer" data-value={props.answers[question.id]}>
                {labelOf(props.answers[question.id])}
              </span>
              <button type="button" class="link-button review__change" onClick={() => props.onChange(i())}>
                Change<span class="visually-hidden"> the answer to statement {i() + 1}</span>
              </button>
            </li>
          )}
        </For>
      </ol>
      <div class="review__foot">
        <Show when={waiting() > 0}>
          <p class="review__waiting" role="status">
            <Switch>
              <Match when={!props.online}>
                You're offline: {waiting()} {waiting() === 1 ? "answer is" : "answers are"} kept on this device and
                will be saved when you reconnect.
              </Match>
              <Match when={true}>
                Saving {waiting()} {waiting() === 1 ? "answer" : "answers"}…
              </Match>
            </Switch>
          </p>
        </Show>
        <button
          type="button"
          class="button button--primary button--large"
          disabled={waiting() > 0 || props.completing}
          aria-busy={props.completing}
          onClick={() => props.onComplete()}
        >
          <Show when={props.completing}>
            <span class="spinner spinner--small" aria-hidden="true" />
          </Show>
          See my results
          <Icon name="arrowRight" />
        </button>
      </div>
    </section>
  )
}
