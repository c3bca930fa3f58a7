import { minPasswordLength } from "@compilar/domain"
import { A, useAction, useNavigate, useSearchParams, useSubmission } from "@solidjs/router"
import { Either } from "effect"
import { createEffect, Show } from "solid-js"
import { AuthCard } from "../../components/AuthCard.js"
import { createForm } from "../../components/form/createForm.js"
import { FormAlert } from "../../components/form/FormAlert.js"
import { PasswordField } from "../../components/form/PasswordField.js"
import { TextField } from "../../components/form/TextField.js"
import { signUp } from "../../lib/session/actions.js"
import { accountHref, nextFromParams } from "../../lib/session/nextPath.js"
import { sessionStatus } from "../../lib/session/state.js"
import { type SignUpField, validateSignUp } from "../../lib/session/validation.js"
import { usePageTitle } from "../../lib/title.js"
import { toaster } from "../../lib/toast.js"

const passwordHint = `At least ${minPasswordLength} characters, mixing at least two kinds: lower case, upper case, digits, symbols.`

/**
 * Create an account (name, email, password) and sign in with it, then go on to `?next=`. The
 * password rules are the domain's own (`passwordProblem`), checked as the learner types.
 */
export default function SignUpPage() {
  usePageTitle("Create an account")
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = () => nextFromParams(params)
  const send = useAction(signUp)
  const submission = useSubmission(signUp)
  const form = createForm<SignUpField>({
    initial: { displayName: "", email: "", password: "" },
    order: ["displayName", "email", "password"],
    validate: (values) => Either.match(validateSignUp(values), { onLeft: (errors) => errors, onRight: () => ({}) })
  })

  createEffect(() => {
    if (sessionStatus() === "signedIn") navigate(next(), { replace: true })
  })

  const submit = async (event: SubmitEvent) => {
    event.preventDefault()
    if (submission.pending) return
    const payload = validateSignUp(form.values())
    if (!form.attempt() || Either.isLeft(payload)) {
      return form.focusFirstInvalid()
    }
    const outcome = await send(payload.right)
    if (outcome._tag === "ok") {
      toaster.show("success", {
        key: "account-form",
        title: "Account created",
        message: `Welcome to Compilar, ${outcome.user.displayName}.`
      })
      return
    }
    form.fail(outcome.fields, outcome.message)
    form.focusFirstInvalid()
  }

  return (
    <AuthCard
      icon="user"
      eyebrow="Account"
      title="Create your account"
      lede="Save your assessments and coaching, and see how your group changes over time."
      footer={
        <p>
          Already have an account? <A href={accountHref("/signin", next())}>Sign in</A>
        </p>
      }
    >
      <form class="auth-form" novalidate aria-busy={submission.pending} onSubmit={submit}>
        <FormAlert id="signup-alert" message={form.formError()} />
        <TextField
          id="signup-name"
          name="displayName"
          label="Your name"
          type="text"
          autocomplete="name"
          autocapitalize="words"
          maxLength={80}
          hint="Shown on your account; it need not be your full name."
          {...form.field("displayName")}
        />
        <TextField
          id="signup-email"
          name="email"
          label="Email"
          type="email"
          inputMode="email"
          autocomplete="email"
          {...form.field("email")}
        />
        <PasswordField
          id="signup-password"
          label="Password"
          autocomplete="new-password"
          hint={passwordHint}
          {...form.field("password")}
        />
        <button type="submit" class="button button--primary auth-form__submit" disabled={submission.pending}>
          <Show when={submission.pending}>
            <span class="spinner" aria-hidden="true" />
          </Show>
          <span>{submission.pending ? "Creating your account…" : "Create account"}</span>
        </button>
      </form>
    </AuthCard>
  )
}
