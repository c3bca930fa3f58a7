import { Match, Switch } from "solid-js"
import { Icon } from "../../../components/Icon.js"
import type { AnswerState } from "../answerQueue.js"

/** One answer's save state in words: saving…, saved, queued (offline or retrying), not saved. */
export function SaveState(props: { state: AnswerState | undefined; online: boolean }) {
  return (
    <span class="save-state" data-state={props.state ?? "none"} role="status" aria-live="polite">
      <Switch>
        <Match when={props.state === "saving"}>
          <span class="spinner spinner--small" aria-hidden="true" />
          Saving…
        </Match>
        <Match when={props.state === "saved"}>
          <Icon name="check" />
          Saved
        </Match>
        <Match when={props.state === "queued"}>
          <Icon name="clock" />
          {props.online ? "Queued — retrying" : "Queued — offline"}
        </Match>
        <Match when={props.state === "failed"}>
          <Icon name="alert" />
          Not saved
        </Match>
      </Switch>
    </span>
  )
}
