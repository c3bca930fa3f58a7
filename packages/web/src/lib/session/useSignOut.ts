import { useAction, useNavigate, useSubmission } from "@solidjs/router"
import { Either } from "effect"
import { toaster } from "../toast.js"
import { signOut } from "./actions.js"

/**
 * Sign out from a button: go home first (a protected page left behind would otherwise send the
 * learner to sign in again as the session ends), then POST /logout, then say so. If the server
 * cannot be reached the learner stays signed in, with an error toast.
 */
export const useSignOut = () => {
  const navigate = useNavigate()
  const send = useAction(signOut)
  const submission = useSubmission(signOut)
  return {
    pending: () => submission.pending === true,
    signOut: async () => {
      if (submission.pending) return
      navigate("/")
      const result = await send()
      if (Either.isRight(result)) toaster.show("success", { key: "sign-out", title: "Signed out", message: "See you next time." })
    }
  }
}
