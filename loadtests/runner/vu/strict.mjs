/**
 * An object that throws when the script reads a property the runner does not implement, naming
 * it, where k6 would have given a value: a script never computes with `undefined` by accident.
 * Symbols, `toJSON` and `then` (probed by JSON.stringify, console.log and await) read through.
 *
 * @template {object} T
 * @param {string} path what the error calls the object (`exec.scenario`, `res`)
 * @param {T} target
 * @returns {T}
 */
export const strict = (path, target) =>
  new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === "symbol" || property in object || property === "toJSON" || property === "then") {
        return Reflect.get(object, property, receiver)
      }
      throw new Error(`${path}.${property} is not supported by the Node runner`)
    }
  })
