import { Show } from "solid-js"
import { Icon } from "../../../components/Icon.js"

/**
 * The search box: submits on Enter or the button and shows the request's `query` error right
 * under the field. What is typed (`value`) is the page's, so filters can search it too.
 */
export function SearchForm(props: {
  value: string
  onInput: (value: string) => void
  error: string | undefined
  busy: boolean
  onSearch: () => void
}) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault()
    props.onSearch()
  }

  return (
    <form class="knowledge-search" role="search" aria-label="Knowledge base" onSubmit={submit}>
      <label class="knowledge-search__label" for="knowledge-q">
        Ask a question or search for a topic
      </label>
      <div class="knowledge-search__row">
        <div class="knowledge-search__field" classList={{ "is-invalid": props.error !== undefined }}>
          <Icon name="search" />
          <input
            id="knowledge-q"
            name="q"
            type="search"
            autocomplete="off"
            enterkeyhint="search"
            placeholder="e.g. How does psychological safety affect delegation?"
            value={props.value}
            aria-invalid={props.error !== undefined}
            aria-describedby={props.error !== undefined ? "knowledge-q-error" : undefined}
            onInput={(event) => props.onInput(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--primary knowledge-search__submit" aria-disabled={props.busy}>
          <Show when={props.busy} fallback={<Icon name="search" />}>
            <span class="spinner spinner--on-primary" aria-hidden="true" />
          </Show>
          <span>Search</span>
        </button>
      </div>
      <Show when={props.error}>
        {(message) => (
          <p id="knowledge-q-error" class="field-error">
            <Icon name="alert" />
            <span>{message()}</span>
          </p>
        )}
      </Show>
    </form>
  )
}
