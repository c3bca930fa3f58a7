/**
 * Module resolution for a VU's worker (registered with `module.register`): the k6 modules the
 * runner implements map to its shims; any other `k6/…` module, or a remote module, is an error at
 * import time rather than an undefined function found in the middle of a run.
 */

/** @type {Readonly<Record<string, string>>} */
let shims = {}

/** @param {{ readonly shims: Readonly<Record<string, string>> }} data */
export function initialize(data) {
  shims = data.shims
}

/**
 * @param {string} specifier
 * @param {unknown} context
 * @param {(specifier: string, context: unknown) => Promise<unknown>} next
 */
export async function resolve(specifier, context, next) {
  if (specifier === "k6" || specifier.startsWith("k6/")) {
    const url = shims[specifier]
    if (url === undefined) {
      throw new Error(`${specifier} is not supported by the Node runner (supported: ${Object.keys(shims).join(", ")})`)
    }
    return { url, shortCircuit: true }
  }
  if (/^https?:\/\//.test(specifier)) throw new Error(`remote modules are not supported by the Node runner: ${specifier}`)
  return next(specifier, context)
}
