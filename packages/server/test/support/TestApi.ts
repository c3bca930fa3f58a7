import { Api, RequestBody } from "@compilar/domain"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Effect, Layer, Schema } from "effect"
import { GroupsLive } from "../../src/Http.js"

/**
 * A test-only group exercising what the foundation's own routes cannot yet: a JSON body with
 * validation, and a slow request to drain on shutdown. It exists only in this test API,
 * never in the production layer.
 */
export class EchoGroup extends HttpApiGroup.make("echo")
  .add(
    HttpApiEndpoint.post("echo", "/test/echo")
      .setPayload(RequestBody({ name: Schema.NonEmptyTrimmedString, count: Schema.Int.pipe(Schema.between(1, 10)) }))
      .addSuccess(Schema.Struct({ greeting: Schema.String }))
  )
  .add(
    HttpApiEndpoint.get("slow", "/test/slow")
      .setUrlParams(Schema.Struct({ ms: Schema.NumberFromString }))
      .addSuccess(Schema.Struct({ sleptMs: Schema.Number }))
  )
  .add(HttpApiEndpoint.get("boom", "/test/boom").addSuccess(Schema.Void))
{}

export const TestApi = Api.add(EchoGroup)

const EchoLive = HttpApiBuilder.group(TestApi, "echo", (handlers) =>
  handlers
    .handle("echo", ({ payload }) => Effect.succeed({ greeting: `hello ${payload.name} x${payload.count}` }))
    .handle("slow", ({ urlParams }) => Effect.as(Effect.sleep(urlParams.ms), { sleptMs: urlParams.ms }))
    .handle("boom", () => Effect.die(new Error("kaboom"))))

export const TestApiLive = HttpApiBuilder.api(TestApi).pipe(Layer.provide([GroupsLive, EchoLive]))
