-- Supabase Auth users beside local accounts, in the same `app.users` table, so that whatever
-- belongs to a user (assessments, answers…) references one table whichever way they signed in.
--
-- A Supabase user's row is created the first time one of their access tokens is seen: id = the
-- token's `sub`, email from the token (absent for phone or anonymous sign-ins), no password
-- (they sign in at Supabase, never here). Email uniqueness applies to local accounts only: a
-- person may have a local account and a Supabase identity with the same address, and the two
-- stay separate users.

alter table app.users
  add column auth_provider text not null default 'local' check (auth_provider in ('local', 'supabase')),
  alter column password_hash drop not null,
  alter column email drop not null;

alter table app.users
  add constraint users_local_sign_in check (
    auth_provider <> 'local' or (password_hash is not null and email is not null)
  );

drop index app.users_email_lower_key;
create unique index users_email_lower_key on app.users (lower(email)) where auth_provider = 'local';
