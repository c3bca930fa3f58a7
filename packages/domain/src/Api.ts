import { HttpApi, OpenApi } from "@effect/platform"
import { AssessmentApi } from "./AssessmentApi.js"
import { AuthApi } from "./AuthApi.js"
import { CoachingApi } from "./CoachingApi.js"
import { ApiErrors } from "./Errors.js"
import { HealthApi } from "./HealthApi.js"
import { PilarApi } from "./PilarApi.js"
import { RagApi } from "./RagApi.js"
import { RateLimit } from "./RateLimits.js"
import { removePlatformDecodeError } from "./OpenApiCleanup.js"

/**
 * The whole contract: implemented by the server, consumed by the web app and the tests.
 * Every group but health takes the general rate limit (`RateLimit`): add it to new groups too.
 */
export class Api extends HttpApi.make("compilar")
  .add(HealthApi)
  .add(PilarApi.middleware(RateLimit))
  .add(RagApi.middleware(RateLimit))
  .add(AuthApi.middleware(RateLimit))
  .add(AssessmentApi.middleware(RateLimit))
  .add(CoachingApi.middleware(RateLimit))
  .addError(ApiErrors[0])
  .addError(ApiErrors[1])
  .addError(ApiErrors[2])
  .addError(ApiErrors[3])
  .addError(ApiErrors[4])
  .addError(ApiErrors[5])
  .addError(ApiErrors[6])
  .annotate(OpenApi.Title, "Compilar API")
  .annotate(OpenApi.Version, "1.0.0")
  .annotate(OpenApi.Transform, removePlatformDecodeError)
{}
