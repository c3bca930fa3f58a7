import { query } from "@solidjs/router"
import { callApi } from "../../lib/runtime.js"

/** GET /health through the typed client; failures come back as `Either.left`, never thrown. */
export const getHealth = query(() => callApi((api) => api.health.health()), "health")
