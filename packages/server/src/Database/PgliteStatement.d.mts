import type { ParserOptions, PGlite } from "@electric-sql/pglite"

// Types of PgliteStatement.mjs (plain JavaScript: the PGlite worker thread loads it).

/** A parameter as node-postgres sends it: null, a Buffer (binary), or text. */
export declare const prepareParameter: (value: unknown) => string | Buffer | null

export declare const readReply: (
  bytes: Uint8Array,
  parsers: ParserOptions,
  asArrays: boolean
) => { readonly ok: true; readonly rows: Array<unknown> } | { readonly ok: false; readonly error: Error }

export declare const runStatement: (
  db: PGlite,
  sql: string,
  params: ReadonlyArray<unknown>,
  asArrays: boolean
) => Promise<Array<unknown>>
