/**
 * Splits a SQL script into statements the way the Supabase CLI does before it applies a
 * migration and records it (`pkg/parser`, `SplitAndTrim`): at each `;` that is not inside a
 * quoted string, a dollar-quoted body, a comment, parentheses or a `BEGIN ATOMIC … END`
 * body; each statement keeps its comments, loses its trailing `;` and surrounding space,
 * and empty ones are dropped. Recording the same `statements` as the CLI keeps
 * `supabase migration list` and `db push` happy with a database we migrated.
 */
export const splitStatements = (script: string): Array<string> => {
  const statements: Array<string> = []
  let start = 0
  let depth = 0
  let atomic = false
  let i = 0

  const emit = (end: number) => {
    const statement = script.slice(start, end).replace(/;+$/, "").trim()
    if (statement.length > 0) statements.push(statement)
    start = end
  }
  const isWordChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_$]/.test(char)
  const wordAt = (at: number): string => {
    let end = at
    while (isWordChar(script[end])) end++
    return script.slice(at, end)
  }

  while (i < script.length) {
    const char = script[i]!
    const next = script[i + 1]

    if (char === "-" && next === "-") {
      const end = script.indexOf("\n", i)
      i = end === -1 ? script.length : end + 1
    } else if (char === "/" && next === "*") {
      // Block comments nest in PostgreSQL.
      let nesting = 1
      i += 2
      while (i < script.length && nesting > 0) {
        if (script[i] === "/" && script[i + 1] === "*") {
          nesting++
          i += 2
        } else if (script[i] === "*" && script[i + 1] === "/") {
          nesting--
          i += 2
        } else {
          i++
        }
      }
    } else if (char === "'" || char === "\"") {
      // E'…' strings allow backslash escapes; everywhere else a doubled quote is the escape.
      const backslashes = char === "'" && /[Ee]/.test(script[i - 1] ?? "") && !isWordChar(script[i - 2])
      i++
      while (i < script.length) {
        if (backslashes && script[i] === "\\") {
          i += 2
        } else if (script[i] === char) {
          if (script[i + 1] === char) {
            i += 2
          } else {
            i++
            break
          }
        } else {
          i++
        }
      }
    } else if (char === "$" && !isWordChar(script[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i))
      if (tag === null) {
        i++
      } else {
        const end = script.indexOf(tag[0], i + tag[0].length)
        i = end === -1 ? script.length : end + tag[0].length
      }
    } else if (char === "(") {
      depth++
      i++
    } else if (char === ")") {
      depth = Math.max(0, depth - 1)
      i++
    } else if (isWordChar(char) && !isWordChar(script[i - 1])) {
      const word = wordAt(i).toLowerCase()
      if (word === "atomic") atomic = true
      else if (word === "end") atomic = false
      i += word.length
    } else if (char === ";" && depth === 0 && !atomic) {
      i++
      emit(i)
    } else {
      i++
    }
  }
  emit(script.length)
  return statements
}
