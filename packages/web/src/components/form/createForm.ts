import { createMemo, createSignal } from "solid-js"

type Errors<F extends string> = Partial<Record<F, string>>

/**
 * What a field component takes from its form: spread it into the field
 * (`<TextField {...form.field("email")} … />`). `value` and `error` are getters, so they stay
 * reactive through the spread.
 */
export interface FieldBinding {
  readonly value: string
  readonly error: string | undefined
  readonly ref: (element: HTMLInputElement) => void
  readonly onInput: (value: string) => void
  readonly onBlur: () => void
}

/**
 * The state of a small form: what is typed, and which error to show beside each field.
 *
 * A field's own check (`validate`, run on every keystroke) is shown once the learner has left
 * the field with something in it, or has tried to submit; not while they type their first
 * characters. An error from the server is shown until that field changes.
 */
export function createForm<F extends string>(options: {
  readonly initial: Readonly<Record<F, string>>
  /** The fields in the order they are shown: the first with an error takes the focus. */
  readonly order: ReadonlyArray<F>
  readonly validate: (values: Readonly<Record<F, string>>) => Errors<F>
}) {
  const [values, setValues] = createSignal<Readonly<Record<F, string>>>(options.initial)
  const [visited, setVisited] = createSignal<ReadonlySet<F>>(new Set())
  const [attempted, setAttempted] = createSignal(false)
  const [serverErrors, setServerErrors] = createSignal<Errors<F>>({})
  const [formError, setFormError] = createSignal<string | undefined>(undefined)
  const checked = createMemo(() => options.validate(values()))
  const inputs: Partial<Record<F, HTMLInputElement>> = {}

  const error = (field: F): string | undefined =>
    serverErrors()[field] ?? (attempted() || visited().has(field) ? checked()[field] : undefined)

  const set = (field: F, value: string) => {
    setValues((current) => ({ ...current, [field]: value }))
    setServerErrors((current) => ({ ...current, [field]: undefined }))
    setFormError(undefined)
  }

  const leave = (field: F) => {
    if (values()[field] !== "") setVisited((current) => new Set([...current, field]))
  }

  return {
    values,
    formError,
    field: (name: F): FieldBinding => ({
      get value() {
        return values()[name]
      },
      get error() {
        return error(name)
      },
      ref: (element) => (inputs[name] = element),
      onInput: (value) => set(name, value),
      onBlur: () => leave(name)
    }),
    /** Marks the form as submitted (every error shows); true when the fields pass their checks. */
    attempt: (): boolean => {
      setAttempted(true)
      return Object.values(checked()).every((message) => message === undefined)
    },
    /** What the server said: errors beside the fields it named, and one for the whole form. */
    fail: (fields: Errors<F>, message?: string) => {
      setServerErrors(() => fields)
      setFormError(message)
    },
    /** Moves the focus to the first field showing an error, if one does. */
    focusFirstInvalid: () => {
      const first = options.order.find((field) => error(field) !== undefined)
      if (first !== undefined) inputs[first]?.focus()
    }
  }
}
