/**
 * The one piece of node-postgres's internals the PGlite worker uses (PgliteStatement.mjs):
 * how it turns a JavaScript value into a parameter. `pg` exports `./lib/*`; `@types/pg` does not
 * describe it.
 */
declare module "pg/lib/utils.js" {
  const utils: {
    /** null for null and undefined, a Buffer (sent binary) for bytes, text for everything else. */
    readonly prepareValue: (value: unknown) => string | Buffer | null
  }
  export default utils
}
