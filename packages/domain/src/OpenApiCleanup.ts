/**
 * The platform declares its own `HttpApiDecodeError` body on every endpoint, but the server
 * never sends it: decode failures leave as our `validation_failed` envelope. This removes it
 * from the generated document so the OpenAPI says only what the wire carries.
 */
const decodeErrorRef = "#/components/schemas/HttpApiDecodeError"

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const withoutDecodeError = (schema: unknown): unknown => {
  if (!isObject(schema) || !Array.isArray(schema["anyOf"])) return schema
  const rest = schema["anyOf"].filter((member) => !(isObject(member) && member["$ref"] === decodeErrorRef))
  return rest.length === 1 ? rest[0] : { ...schema, anyOf: rest }
}

export const removePlatformDecodeError = (spec: Json): Json => {
  const paths = isObject(spec["paths"]) ? spec["paths"] : {}
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue
    for (const operation of Object.values(item)) {
      if (!isObject(operation) || !isObject(operation["responses"])) continue
      const badRequest = operation["responses"]["400"]
      if (!isObject(badRequest) || !isObject(badRequest["content"])) continue
      const json = badRequest["content"]["application/json"]
      if (isObject(json)) json["schema"] = withoutDecodeError(json["schema"])
      badRequest["description"] = "validation_failed | malformed_json"
    }
  }
  const components = isObject(spec["components"]) ? spec["components"] : {}
  if (isObject(components["schemas"])) {
    delete components["schemas"]["HttpApiDecodeError"]
    delete components["schemas"]["Issue"]
  }
  return spec
}
