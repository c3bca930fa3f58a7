import { A, useAction, useNavigate, useSearchParams, useSubmission } from "@solidjs/router"
import { Either } from "effect"
import { createEffect, Show } from "solid-js"
import { AuthCard } from "../../components/AuthCard.js"
import { createForm } from "../../components/form/createForm.js"
import { FormAlert } from "../../components/form/FormAlert.js"
import { PasswordField } from "../../components/form/PasswordField.js"
import { TextField } from "../../components/form/TextField.js"
import { signIn } from "../../lib/session/actions.js"
import { accountHref, nextFromParams } from "../../lib/session/nextPath.js"
import { sessionStatus } from "../../lib/session/state.js"
import { type SignInField, signInFields, validateSignIn } from "../../lib/session/validation.js"
import { usePageTitle } from "../../lib/title.js"
import { toaster } from "../../lib/toast.js"

/**
 * Sign in with email and password, then go back to `?next=` (a path of this app; anything else
 * goes home). Arriving signed in goes there at once.
 */
export default function SignInPage() {
  usePageTitle("Sign in")
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = () => nextFromParams(params)
  const send = useAction(signIn)
  const submission = useSubmission(signIn)
  const form = createForm<SignInField>({
    initial: { email: "", password: "" },
    order: signInFields,
    validate: (values) => Either.match(validateSignIn(values), { onLeft: (errors) => errors, onRight: () => ({}) })
  })

  createEffect(() => {
    if (sessionStatus() === "signedIn") navigate(next(), { replace: true })
  })

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    // One request at a time, whatever the keyboard or mouse does meanwhile.
    if (submission.pending) return
    const payload = validateSignIn(form.values())
    if (!form.attempt() || Either.isLeft(payload)) {
      return form.focusFirstInvalid()
    }
    const outcome = await send(payload.right)
    if (outcome._tag === "ok") {
      // Same key as the failure toasts: a stale "Couldn't sign you in" goes.
      toaster.show("success", { key: "account-form", title: "Signed in", message: `Welcome back, ${outcome.user.displayName}.` })
      return
    }
    form.fail(outcome.fields, outcome.message)
    form.focusFirstInvalid()
  }

  return (
    <AuthCard
      icon="user"
      eyebrow="Account"
      title="Sign in to Compilar"
      lede="Pick up where you left off: your assessments, scores and coaching, on any device."
      footer={
        <p>
          New to Compilar? <A href={accountHref("/signup", next())}>Create an account</A>
        </p>
      }
    >
      <form class="auth-form" novalidate aria-busy={submission.pending} onSubmit={submit}>
        <FormAlert id="signin-alert" message={form.formError()} />
        <TextField
          id="signin-email"
          name="email"
          label="Email"
          type="email"
          inputMode="email"
          autocomplete="username"
          {...form.field("email")}
        />
        <PasswordField
          id="signin-password"
          label="Password"
          autocomplete="current-password"
          {...form.field("password")}
        />
        <button type="submit" class="button button--primary auth-form__submit" disabled={submission.pending}>
          <Show when={submission.pending}>
            <span class="spinner" aria-hidden="true" />
          </Show>
          <span>{submission.pending ? "Signing in…" : "Sign in"}</span>
        </button>
      </form>
    </AuthCard>
  )
}
