import { Data, Effect } from "effect"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { splitStatements } from "./SqlStatements.js"

/** One file of `supabase/migrations`, named `<version>_<name>.sql` as the Supabase CLI expects. */
export interface MigrationFile {
  readonly version: string
  readonly name: string
  readonly file: string
  readonly path: string
}

export class MigrationsUnreadable extends Data.TaggedError("MigrationsUnreadable")<{
  readonly message: string
  readonly path: string
  readonly cause: unknown
}> {}

// The CLI's own pattern: leading digits are the version, the rest (minus `.sql`) the name.
const migrationFileName = /^([0-9]+)_(.*)\.sql$/

const unreadable = (path: string) => (cause: unknown) =>
  new MigrationsUnreadable({
    message: `Cannot read migrations at ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
    path,
    cause
  })

/** The migration files of a folder in the order they apply: by file name, as the CLI does. */
export const listMigrationFiles = (directory: string) =>
  Effect.gen(function*() {
    const entries = yield* Effect.tryPromise({ try: () => readdir(directory), catch: unreadable(directory) })
    const files: Array<MigrationFile> = []
    for (const file of [...entries].sort()) {
      const match = migrationFileName.exec(file)
      if (match === null) {
        if (file.endsWith(".sql")) yield* Effect.logWarning(`Skipping ${file}: not named <version>_<name>.sql`)
        continue
      }
      files.push({ version: match[1]!, name: match[2]!, file, path: join(directory, file) })
    }
    return files
  })

/** The statements of one migration file, split the way the CLI records them. */
export const readStatements = (migration: MigrationFile) =>
  Effect.tryPromise({ try: () => readFile(migration.path, "utf8"), catch: unreadable(migration.path) }).pipe(
    Effect.map(splitStatements)
  )
