import { query } from "@solidjs/router"
import { callApi } from "../../lib/runtime.js"

/**
 * GET /api/v1/auth/me with the access token (renewed once if it has expired), keyed by the
 * signed-in user so one learner's answer is never shown to the next one on this browser.
 */
export const getMe = query((_userId: string) => callApi((api) => api.auth.me()), "me")
