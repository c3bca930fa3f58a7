import { type JSX, Show } from "solid-js"
import { Icon } from "../Icon.js"

/** The ids that tie a field's hint and error to its input (`aria-describedby`). */
export const hintId = (id: string) => `${id}-hint`
export const errorId = (id: string) => `${id}-error`

export const describedBy = (id: string, hasHint: boolean, hasError: boolean): string | undefined =>
  [hasHint ? hintId(id) : undefined, hasError ? errorId(id) : undefined].filter((x) => x !== undefined).join(" ") ||
  undefined

/**
 * A labelled input with an optional hint and an inline error. The error is tied to the input
 * (`aria-invalid`, `aria-describedby`) so a screen reader reads it with the field. `trailing`
 * sits inside the box, after the input (the password field's show/hide button).
 */
export function TextField(props: {
  id: string
  name: string
  label: string
  type: "text" | "email" | "password"
  value: string
  autocomplete: JSX.HTMLAutocomplete
  error: string | undefined
  hint?: string | undefined
  maxLength?: number | undefined
  inputMode?: "email" | "text" | undefined
  /** Default "none": emails and passwords must not gain a capital letter on a phone. */
  autocapitalize?: "none" | "words" | undefined
  ref?: ((element: HTMLInputElement) => void) | undefined
  trailing?: JSX.Element
  onInput: (value: string) => void
  onBlur?: (() => void) | undefined
}) {
  return (
    <div class="field" classList={{ "is-invalid": props.error !== undefined }}>
      <label class="field__label" for={props.id}>
        {props.label}
      </label>
      <div class="field__box">
        <input
          ref={props.ref}
          id={props.id}
          name={props.name}
          type={props.type}
          class="field__input"
          value={props.value}
          autocomplete={props.autocomplete}
          inputMode={props.inputMode}
          maxLength={props.maxLength}
          required
          spellcheck={false}
          autocapitalize={props.autocapitalize ?? "none"}
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy(props.id, props.hint !== undefined, props.error !== undefined)}
          onInput={(event) => props.onInput(event.currentTarget.value)}
          onBlur={() => props.onBlur?.()}
        />
        {props.trailing}
      </div>
      <Show when={props.hint}>
        {(hint) => (
          <p id={hintId(props.id)} class="field__hint">
            {hint()}
          </p>
        )}
      </Show>
      <Show when={props.error}>
        {(message) => (
          <p id={errorId(props.id)} class="field__error">
            <Icon name="alert" />
            <span>{message()}</span>
          </p>
        )}
      </Show>
    </div>
  )
}
