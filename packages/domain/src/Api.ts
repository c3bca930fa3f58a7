import { HttpApi, OpenApi } from "@effect/platform"
import { AuthApi } from "./AuthApi.js"
import { ApiErrors } from "./Errors.js"
import { HealthApi } from "./HealthApi.js"
import { PilarApi } from "./PilarApi.js"
import { RagApi } from "./RagApi.js"
import { removePlatformDecodeError } from "./OpenApiCleanup.js"

/** The whole contract: implemented by the server, consumed by the web app and the tests. */
export class Api extends HttpApi.make("compilar")
  .add(HealthApi)
  .add(PilarApi)
  .add(RagApi)
  .add(AuthApi)
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
