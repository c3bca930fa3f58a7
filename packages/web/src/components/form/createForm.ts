import { createMemo, createSignal } from "solid-js"

type Errors<F extends string> = Partial<Record<F, string>>

/**
 * The state of a small form: what is typed, and which error to show beside each field.
 *
 * A field's own check (`validate`, run on every keystroke) is shown once the learner has left
 * the field with something in it, or has tried to submit; not while they type their first
 * characters. An error from the server is shown until that field changes.
 */
export function createForm<F extends string>(options: {
  readonly initial: Readonly<Record<F, string>>
  readonly validate: (values: Readonly<Record<F, string>>) => Errors<F>
}) {
  const [values, setValues] = createSignal<Readonly<Record<F, string>>>(options.initial)
  const [visited, setVisited] = createSignal<ReadonlySet<F>>(new Set())
  const [attempted, setAttempted] = createSignal(false)
  const [serverErrors, setServerErrors] = createSignal<Errors<F>>({})
  const [formError, setFormError] = createSignal<string | undefined>(undefined)
  const checked = createMemo(() => options.validate(values()))

  const error = (field: F): string | undefined =>
    serverErrors()[field] ?? (attempted() || visited().has(field) ? checked()[field] : undefined)

  return {
    values,
    error,
    formError,
    set: (field: F, value: string) => {
      setValues((current) => ({ ...current, [field]: value }))
      setServerErrors((current) => ({ ...current, [field]: undefined }))
      setFormError(undefined)
    },
    leave: (field: F) => {
      if (values()[field] !== "") setVisited((current) => new Set([...current, field]))
    },
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
    /** The fields showing an error, in `order`. */
    invalid: (order: ReadonlyArray<F>): ReadonlyArray<F> => order.filter((field) => error(field) !== undefined)
  }
}
