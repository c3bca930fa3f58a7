/**
 * One statement with parameters on PGlite, in one call into the database: Parse, Bind, Describe,
 * Execute and Sync travel as one message and the reply comes back as bytes, read here.
 *
 * PGlite's own `query` makes six calls into WebAssembly per statement (it describes the statement
 * first, to serialize each parameter by its type) and turns every reply message into an object,
 * with a fresh buffer per field, before it builds the rows. In the database's thread, which is
 * what concurrent searches queue for, a seeded knowledge search went from 4.30 to 3.53 ms and a
 * trivial statement from 0.35 to 0.17 ms (README, Performance).
 *
 * Parameters are serialized as node-postgres serializes them (`prepareValue`: by the JavaScript
 * value, text format, Buffers binary), which is what the same repository code sends to a real
 * PostgreSQL through `@effect/sql-pg`. Columns are parsed with PGlite's own parsers (the
 * instance's, overrides included), exactly as its `query` parses them.
 */
import { protocol, types } from "@electric-sql/pglite"
import { Buffer } from "node:buffer"
import { TextDecoder } from "node:util"
import pgUtils from "pg/lib/utils.js"

const { serialize } = protocol
const decoder = new TextDecoder()

/**
 * A parameter as node-postgres sends it: null, a Buffer (binary), or text.
 * @param {unknown} value
 * @returns {string | Buffer | null}
 */
export const prepareParameter = (value) => pgUtils.prepareValue(value)

/** PostgreSQL's error and notice field codes, by the names node-postgres and PGlite give them. */
const errorFields = /** @type {Record<string, string>} */ ({
  S: "severity",
  C: "code",
  D: "detail",
  H: "hint",
  P: "position",
  s: "schema",
  t: "table",
  c: "column",
  d: "dataType",
  n: "constraint",
  W: "where"
})

/**
 * The error PostgreSQL reported, as an Error with its fields (`code`, `detail`, …).
 * @param {Uint8Array} bytes @param {number} start @param {number} end
 */
const readError = (bytes, start, end) => {
  /** @type {Record<string, string>} */
  const fields = {}
  let position = start
  while (position < end && bytes[position] !== 0) {
    const code = String.fromCharCode(/** @type {number} */ (bytes[position]))
    const valueEnd = bytes.indexOf(0, position + 1)
    fields[code] = decoder.decode(bytes.subarray(position + 1, valueEnd))
    position = valueEnd + 1
  }
  const error = /** @type {Error & Record<string, unknown>} */ (new Error(fields["M"] ?? "PostgreSQL reported an error"))
  for (const [code, name] of Object.entries(errorFields)) {
    if (fields[code] !== undefined) error[name] = fields[code]
  }
  return error
}

/**
 * The rows of a reply to one statement, or the error it reported.
 * @param {Uint8Array} bytes
 * @param {import("@electric-sql/pglite").ParserOptions} parsers
 * @param {boolean} asArrays
 */
export const readReply = (bytes, parsers, asArrays) => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  /** @type {Array<string>} */
  let names = []
  /** @type {Array<number>} */
  let typeIds = []
  /** @type {Array<unknown>} */
  const rows = []
  /** @type {Error | undefined} */
  let error
  for (let offset = 0; offset < bytes.length;) {
    const kind = bytes[offset]
    const end = offset + 1 + view.getInt32(offset + 1)
    let position = offset + 5
    if (kind === 0x54) { // RowDescription
      const count = view.getInt16(position)
      position += 2
      names = new Array(count)
      typeIds = new Array(count)
      for (let field = 0; field < count; field++) {
        const nameEnd = bytes.indexOf(0, position)
        names[field] = decoder.decode(bytes.subarray(position, nameEnd))
        // table oid (4), column number (2), then the type oid.
        typeIds[field] = view.getInt32(nameEnd + 7)
        position = nameEnd + 19
      }
    } else if (kind === 0x44) { // DataRow
      const count = view.getInt16(position)
      position += 2
      /** @type {Array<unknown>} */
      const values = new Array(count)
      for (let field = 0; field < count; field++) {
        const length = view.getInt32(position)
        position += 4
        if (length < 0) {
          values[field] = null
        } else {
          const text = decoder.decode(bytes.subarray(position, position + length))
          values[field] = types.parseType(text, /** @type {number} */ (typeIds[field]), parsers)
          position += length
        }
      }
      if (asArrays) {
        rows.push(values)
      } else {
        /** @type {Record<string, unknown>} */
        const row = {}
        for (let field = 0; field < count; field++) row[/** @type {string} */ (names[field])] = values[field]
        rows.push(row)
      }
    } else if (kind === 0x45) { // ErrorResponse
      error ??= readError(bytes, position, end)
    }
    // Everything else (ParseComplete, BindComplete, NoData, CommandComplete, notices,
    // ReadyForQuery) says nothing the rows do not.
    offset = end
  }
  return error === undefined ? { ok: /** @type {const} */ (true), rows } : { ok: /** @type {const} */ (false), error }
}

/**
 * Where the reply's bytes go while a statement runs; nowhere otherwise. PGlite keeps the last
 * `onRawData` callback it was given until another call replaces it, so the callback itself must
 * outlive the statement and drop whatever arrives later.
 * @type {Array<Uint8Array> | undefined}
 */
let replyChunks

/** @param {Uint8Array} chunk a view of the database's memory, valid only during the call */
const onRawData = (chunk) => {
  replyChunks?.push(chunk.slice())
}

/**
 * Runs one statement with parameters; its rows (objects, or arrays with `asArrays`).
 *
 * Through `execProtocolRawStream`: `execProtocolRaw` would also hand every reply message to
 * PGlite's own parser and keep the parsed messages in a list that only its `query` and `exec`
 * empty (here the heap grew by 4 MB per 1,000 statements of ten rows). Statements run one at
 * a time (the worker's order), so one place for the reply's bytes is enough.
 * @param {import("@electric-sql/pglite").PGlite} db
 * @param {string} sql
 * @param {ReadonlyArray<unknown>} params
 * @param {boolean} asArrays
 */
export const runStatement = async (db, sql, params, asArrays) => {
  const message = Buffer.concat([
    serialize.parse({ text: sql }),
    serialize.bind({ values: params.map(prepareParameter) }),
    serialize.describe({ type: "P" }),
    serialize.execute({}),
    serialize.sync()
  ])
  /** @type {Array<Uint8Array>} */
  const chunks = []
  replyChunks = chunks
  try {
    await db.execProtocolRawStream(message, { onRawData })
  } finally {
    replyChunks = undefined
  }
  const reply = readReply(chunks.length === 1 ? /** @type {Uint8Array} */ (chunks[0]) : Buffer.concat(chunks), db.parsers, asArrays)
  if (!reply.ok) throw reply.error
  return reply.rows
}
