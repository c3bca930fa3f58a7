import type { Question } from "@compilar/domain"
import { For, Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { AnswerState } from "../answerQueue.js"
import { scale } from "../quiz.js"
import { SaveState } from "./SaveState.js"

/**
 * One statement and the five-point scale as large buttons (the chosen one pressed), with Back
 * and Next and the answer's save state. Keys 1–5 answer and ←/→ move (handled by the quiz).
 */
export function QuestionCard(props: {
  question: Question
  number: number
  total: number
  value: number | undefined
  state: AnswerState | undefined
  online: boolean
  ref: (element: HTMLHeadingElement) => void
  onAnswer: (value: number) => void
  onBack: (() => void) | undefined
  onNext: (() => void) | undefined
}) {
  return (
    <section class="question" aria-labelledby="question-text" data-question={props.question.id}>
      <p class="question__count">
        Statement {props.number} of {props.total}
      </p>
      <h2 id="question-text" class="question__text" tabindex="-1" ref={(el) => props.ref(el)}>
        {props.question.text}
      </h2>
      <p id="question-help" class="question__help">
        How much do you agree?
      </p>
      <div class="likert" role="group" aria-labelledby="question-text" aria-describedby="question-help">
        <For each={scale}>
          {(point) => (
            <button
              type="button"
              class="likert__option"
              data-value={point.value}
              aria-pressed={props.value === point.value}
              aria-keyshortcuts={String(point.value)}
              onClick={(event) => {
                // The second click of a double click would land on the next statement's button.
                if (event.detail > 1) return
                props.onAnswer(point.value)
              }}
            >
              <span class="likert__number" aria-hidden="true">
                {point.value}
              </span>
              <span class="likert__label">{point.label}</span>
            </button>
          )}
        </For>
      </div>
      <div class="question__foot">
        <button type="button" class="button button--ghost" disabled={props.onBack === undefined} onClick={() => props.onBack?.()}>
          <Icon name="arrowRight" class="icon--flip" />
          Back
        </button>
        <SaveState state={props.state} online={props.online} />
        <button type="button" class="button button--ghost" disabled={props.onNext === undefined} onClick={() => props.onNext?.()}>
          Next
          <Icon name="arrowRight" />
        </button>
      </div>
      <Show when={props.number === 1}>
        <p class="question__keys">
          <Icon name="info" />
          <span>
            Tip: press <kbd>1</kbd>–<kbd>5</kbd> to answer and <kbd>←</kbd> to go back. Answers save as you go.
          </span>
        </p>
      </Show>
    </section>
  )
}
