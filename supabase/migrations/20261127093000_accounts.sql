-- Local accounts (the embedded default): users, their sign-in sessions and the rotating
-- refresh tokens of each session. Lives in the `app` schema, which the first migration
-- keeps away from Supabase's API roles.
--
-- A session is one sign-in on one device (a refresh-token "family"). Each refresh replaces
-- the session's current token with a new one (the old row gets `rotated_at`, the new row
-- points back at it through `parent_id`). Presenting a token that was already rotated means
-- it was copied: the whole session is revoked (`revoked_at`, reason 'reuse'). Logout revokes
-- one session and leaves the user's other sessions (other devices) signed in.
-- Only SHA-256 digests of refresh tokens are stored, never the tokens.

create table app.users (
  id            uuid primary key,
  -- As typed at sign-up; uniqueness is on lower(email) (no citext: not available everywhere).
  email         text not null check (length(email) between 3 and 254),
  display_name  text not null check (length(display_name) between 1 and 80),
  -- scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt base64url>$<key base64url>: the cost travels with the hash.
  password_hash text not null,
  roles         text[] not null default '{}',
  created_at    timestamptz not null default now()
);

create unique index users_email_lower_key on app.users (lower(email));

create table app.sessions (
  id             uuid primary key,
  user_id        uuid not null references app.users (id) on delete cascade,
  user_agent     text,
  created_at     timestamptz not null default now(),
  last_used_at   timestamptz not null default now(),
  -- Absolute end of the session: refreshing never extends it past this.
  expires_at     timestamptz not null,
  revoked_at     timestamptz,
  revoked_reason text check (revoked_reason in ('logout', 'reuse', 'admin'))
);

create index sessions_user_idx on app.sessions (user_id) where revoked_at is null;

create table app.refresh_tokens (
  id          uuid primary key,
  session_id  uuid not null references app.sessions (id) on delete cascade,
  -- Hex SHA-256 of the token.
  token_hash  text not null check (length(token_hash) = 64),
  -- The token this one replaced (null for the first token of a session).
  parent_id   uuid references app.refresh_tokens (id) on delete set null,
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  -- Set when a refresh replaced this token; presenting it again revokes the session.
  rotated_at  timestamptz
);

create unique index refresh_tokens_hash_key on app.refresh_tokens (token_hash);
create index refresh_tokens_session_idx on app.refresh_tokens (session_id);
