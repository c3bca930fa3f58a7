import { createSignal } from "solid-js"
import { Icon } from "../Icon.js"
import { TextField } from "./TextField.js"

/**
 * A password input with a Show/Hide button (typing a long password blind is where mistakes
 * come from). `current-password` for signing in, `new-password` for creating one, so password
 * managers offer to fill or to generate.
 */
export function PasswordField(props: {
  id: string
  label: string
  value: string
  autocomplete: "current-password" | "new-password"
  error: string | undefined
  hint?: string | undefined
  ref?: ((element: HTMLInputElement) => void) | undefined
  onInput: (value: string) => void
  onBlur?: (() => void) | undefined
}) {
  const [visible, setVisible] = createSignal(false)
  return (
    <TextField
      id={props.id}
      name="password"
      label={props.label}
      type={visible() ? "text" : "password"}
      value={props.value}
      autocomplete={props.autocomplete}
      error={props.error}
      hint={props.hint}
      ref={props.ref}
      onInput={(value) => props.onInput(value)}
      onBlur={() => props.onBlur?.()}
      trailing={
        <button
          type="button"
          class="field__toggle"
          aria-controls={props.id}
          onClick={() => setVisible((shown) => !shown)}
        >
          <Icon name={visible() ? "eyeOff" : "eye"} />
          <span>{visible() ? "Hide" : "Show"}</span>
          <span class="visually-hidden"> password</span>
        </button>
      }
    />
  )
}
