import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"

/**
 * Accounts in SQL (the same statements on PostgreSQL and PGlite). Database failures are
 * defects here: callers see only "found / not found" and the domain errors built from that.
 */

export type AuthProvider = "local" | "supabase"

export interface UserRow {
  readonly id: string
  /** "" for a Supabase user who signed in without one (phone, anonymous). */
  readonly email: string
  readonly displayName: string
  /** Null for Supabase users: they sign in at Supabase, never here. */
  readonly passwordHash: string | null
  readonly roles: ReadonlyArray<string>
  readonly provider: AuthProvider
}

interface RawUser {
  readonly id: string
  readonly email: string | null
  readonly display_name: string
  readonly password_hash: string | null
  readonly roles: ReadonlyArray<string> | null
  readonly auth_provider: AuthProvider
}

const toUser = (row: RawUser): UserRow => ({
  id: row.id,
  email: row.email ?? "",
  displayName: row.display_name,
  passwordHash: row.password_hash,
  roles: row.roles ?? [],
  provider: row.auth_provider
})

/** What presenting a refresh token found when it could not be rotated. */
export type RefreshLookup =
  | { readonly _tag: "Unknown" }
  | { readonly _tag: "Rotated"; readonly sessionId: string; readonly sessionRevoked: boolean }
  | { readonly _tag: "Ended" }

/** `text[]` from a list of plain role names, bound as one text parameter (no array binding differences). */
const rolesLiteral = (roles: ReadonlyArray<string>) => roles.join(",")

export class AuthRepo extends Effect.Service<AuthRepo>()("Auth/Repo", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rolesArray = (roles: ReadonlyArray<string>) =>
      sql`case when ${rolesLiteral(roles)} = '' then '{}'::text[] else string_to_array(${rolesLiteral(roles)}, ',') end`

    const userColumns = sql`id, email, display_name, password_hash, roles, auth_provider`

    /** A local account; None when the email (case-insensitively) is taken by another local account. */
    const insertUser = (user: {
      readonly id: string
      readonly email: string
      readonly displayName: string
      readonly passwordHash: string
      readonly roles: ReadonlyArray<string>
    }) =>
      sql<RawUser>`
        insert into app.users (id, email, display_name, password_hash, roles)
        values (${user.id}, ${user.email}, ${user.displayName}, ${user.passwordHash}, ${rolesArray(user.roles)})
        on conflict ((lower(email))) where auth_provider = 'local' do nothing
        returning ${userColumns}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toUser)),
        Effect.orDie,
        Effect.withSpan("AuthRepo.insertUser")
      )

    /** The local account with this email (Supabase users never sign in here). */
    const userByEmail = (email: string) =>
      sql<RawUser>`
        select ${userColumns} from app.users
        where lower(email) = ${email.toLowerCase()} and auth_provider = 'local'`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toUser)),
        Effect.orDie,
        Effect.withSpan("AuthRepo.userByEmail")
      )

    const userById = (id: string) =>
      sql<RawUser>`select ${userColumns} from app.users where id = ${id}`.pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toUser)),
        Effect.orDie,
        Effect.withSpan("AuthRepo.userById")
      )

    /**
     * The row of a Supabase user, created the first time they are seen (concurrent first
     * requests insert once: the loser's insert does nothing and it reads the winner's row).
     */
    const ensureSupabaseUser = (user: {
      readonly id: string
      readonly email: string | null
      readonly displayName: string
      readonly roles: ReadonlyArray<string>
    }) =>
      Effect.gen(function*() {
        const inserted = yield* sql<RawUser>`
          insert into app.users (id, email, display_name, password_hash, roles, auth_provider)
          values (${user.id}, ${user.email}, ${user.displayName}, null, ${rolesArray(user.roles)}, 'supabase')
          on conflict (id) do nothing
          returning ${userColumns}`
        const row = inserted[0] ?? (yield* sql<RawUser>`select ${userColumns} from app.users where id = ${user.id}`)[0]
        return Option.map(Option.fromNullable(row), toUser)
      }).pipe(Effect.orDie, Effect.withSpan("AuthRepo.ensureSupabaseUser"))

    const setRoles = (id: string, roles: ReadonlyArray<string>) =>
      sql`update app.users set roles = ${rolesArray(roles)} where id = ${id}`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("AuthRepo.setRoles")
      )

    /** A new session (one device) with its first refresh token. */
    const createSession = (session: {
      readonly id: string
      readonly userId: string
      readonly userAgent: string | null
      readonly ttlSeconds: number
      readonly tokenId: string
      readonly tokenHash: string
    }) =>
      sql.withTransaction(Effect.gen(function*() {
        yield* sql`
          insert into app.sessions (id, user_id, user_agent, expires_at)
          values (${session.id}, ${session.userId}, ${session.userAgent},
                  now() + make_interval(secs => ${session.ttlSeconds}))`
        yield* sql`
          insert into app.refresh_tokens (id, session_id, token_hash, expires_at)
          select ${session.tokenId}, id, ${session.tokenHash}, expires_at from app.sessions where id = ${session.id}`
      })).pipe(Effect.orDie, Effect.withSpan("AuthRepo.createSession"))

    /**
     * Replaces a live refresh token with a new one in one transaction. The `rotated_at is null`
     * condition makes the replacement happen once even when two requests race with the same
     * token: the loser finds it rotated, which is what reuse looks like. None when nothing was rotated.
     */
    const rotate = (presentedHash: string, next: { readonly tokenId: string; readonly tokenHash: string }) =>
      sql.withTransaction(Effect.gen(function*() {
        const rotated = yield* sql<{ readonly id: string; readonly session_id: string; readonly user_id: string }>`
          update app.refresh_tokens t set rotated_at = now()
          from app.sessions s
          where t.token_hash = ${presentedHash} and t.rotated_at is null and t.expires_at > now()
            and s.id = t.session_id and s.revoked_at is null and s.expires_at > now()
          returning t.id, t.session_id, s.user_id`
        const row = rotated[0]
        if (row === undefined) return Option.none()
        yield* sql`
          insert into app.refresh_tokens (id, session_id, token_hash, parent_id, expires_at)
          select ${next.tokenId}, id, ${next.tokenHash}, ${row.id}, expires_at from app.sessions where id = ${row.session_id}`
        yield* sql`update app.sessions set last_used_at = now() where id = ${row.session_id}`
        return Option.some({ sessionId: row.session_id, userId: row.user_id })
      })).pipe(Effect.orDie, Effect.withSpan("AuthRepo.rotate"))

    /** Why a presented refresh token could not be rotated. */
    const lookup = (presentedHash: string) =>
      sql<{ readonly session_id: string; readonly rotated: boolean; readonly revoked: boolean }>`
        select t.session_id, t.rotated_at is not null as rotated, s.revoked_at is not null as revoked
        from app.refresh_tokens t join app.sessions s on s.id = t.session_id
        where t.token_hash = ${presentedHash}`.pipe(
        Effect.map((rows): RefreshLookup => {
          const row = rows[0]
          if (row === undefined) return { _tag: "Unknown" }
          if (row.rotated) return { _tag: "Rotated", sessionId: row.session_id, sessionRevoked: row.revoked }
          return { _tag: "Ended" }
        }),
        Effect.orDie,
        Effect.withSpan("AuthRepo.lookup")
      )

    /** Revokes the session a refresh token belongs to (logout); false when there was none live. */
    const revokeByToken = (presentedHash: string) =>
      sql<{ readonly id: string }>`
        update app.sessions s set revoked_at = now(), revoked_reason = 'logout'
        from app.refresh_tokens t
        where t.token_hash = ${presentedHash} and s.id = t.session_id and s.revoked_at is null
        returning s.id`.pipe(
        Effect.map((rows) => Option.fromNullable(rows[0]?.id)),
        Effect.orDie,
        Effect.withSpan("AuthRepo.revokeByToken")
      )

    const revokeSession = (sessionId: string, reason: "logout" | "reuse" | "admin") =>
      sql`update app.sessions set revoked_at = now(), revoked_reason = ${reason}
          where id = ${sessionId} and revoked_at is null`.pipe(
        Effect.asVoid,
        Effect.orDie,
        Effect.withSpan("AuthRepo.revokeSession")
      )

    const sessionActive = (sessionId: string) =>
      sql<{ readonly one: number }>`
        select 1 as one from app.sessions where id = ${sessionId} and revoked_at is null and expires_at > now()`.pipe(
        Effect.map((rows) => rows.length > 0),
        Effect.orDie,
        Effect.withSpan("AuthRepo.sessionActive")
      )

    return {
      insertUser,
      userByEmail,
      userById,
      ensureSupabaseUser,
      setRoles,
      createSession,
      rotate,
      lookup,
      revokeByToken,
      revokeSession,
      sessionActive
    } as const
  })
}) {}
