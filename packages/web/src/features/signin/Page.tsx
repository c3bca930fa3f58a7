import { ComingSoon } from "../../components/ComingSoon.js"
import { usePageTitle } from "../../lib/title.js"

/** Sign in. Filled by the accounts work. */
export default function SignInPage() {
  usePageTitle("Sign in")
  return (
    <ComingSoon
      icon="user"
      eyebrow="Account"
      title="Sign in to Compilar"
      lede="Accounts are on their way. Signing in will keep your assessments, scores and coaching in one place, on any device."
      action={{ href: "/", label: "Browse the pillars" }}
    />
  )
}
