import { Show } from "solid-js"
import { Icon } from "../Icon.js"

/**
 * A problem with the whole form (wrong email or password, too many attempts, server
 * unreachable), announced as soon as it appears (`role="alert"`) and shown above the fields.
 */
export function FormAlert(props: { id: string; message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <div id={props.id} class="form-alert" role="alert">
          <Icon name="alert" />
          <p>{message()}</p>
        </div>
      )}
    </Show>
  )
}
