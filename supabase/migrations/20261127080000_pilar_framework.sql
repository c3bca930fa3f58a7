-- The PILAR framework: modes, dimensions, pillars, forces and connections, plus the version
-- of the dataset the server last seeded. Runs unchanged on Supabase, PostgreSQL 15 and
-- PGlite (PostgreSQL 18).

-- pgvector. Supabase keeps extensions in their own `extensions` schema (on every role's
-- search_path there); elsewhere the default schema is fine.
do $$
begin
  if exists (select 1 from pg_namespace where nspname = 'extensions') then
    create extension if not exists vector with schema extensions;
  else
    create extension if not exists vector;
  end if;
end
$$;

-- Our tables live in `app`, not in Supabase's API-exposed `public`, so the auto-generated
-- REST API never serves them. The Supabase API roles get nothing here, now or later; the
-- guard keeps this portable to databases where those roles do not exist.
create schema if not exists app;

do $$
declare
  api_role text;
begin
  foreach api_role in array array['anon', 'authenticated'] loop
    if exists (select 1 from pg_roles where rolname = api_role) then
      execute format('revoke all on schema app from %I', api_role);
      execute format('alter default privileges in schema app revoke all on tables from %I', api_role);
      execute format('alter default privileges in schema app revoke all on sequences from %I', api_role);
      execute format('alter default privileges in schema app revoke all on functions from %I', api_role);
    end if;
  end loop;
end
$$;

create table app.modes (
  id          text primary key check (id in ('egalitarian', 'hierarchical')),
  position    smallint not null unique,
  name        text not null,
  summary     text not null,
  description text not null
);

create table app.dimensions (
  id       text primary key check (id in ('prospects', 'involved', 'liked', 'agency', 'respect')),
  position smallint not null unique,
  name     text not null,
  letter   text not null check (length(letter) = 1)
);

create table app.pillars (
  id                   text primary key,
  mode                 text not null references app.modes (id),
  dimension            text not null references app.dimensions (id),
  position             smallint not null,
  title                text not null,
  abbreviation         text not null,
  -- The pillar of the same dimension in the other mode. Deferred: the two refer to each other.
  counterpart          text not null,
  measures             text not null,
  description          text not null,
  high_looks_like      text[] not null default '{}',
  low_looks_like       text[] not null default '{}',
  reflective_questions text[] not null default '{}',
  unique (mode, dimension),
  unique (mode, position),
  -- Lets connections require that both ends belong to the connection's mode.
  unique (id, mode),
  check (counterpart <> id)
);

alter table app.pillars
  add constraint pillars_counterpart_fkey foreign key (counterpart) references app.pillars (id)
  deferrable initially deferred;

create table app.forces (
  id          text primary key check (id ~ '^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$'),
  pillar      text not null references app.pillars (id),
  position    smallint not null,
  name        text not null,
  description text not null,
  high_signal text not null,
  low_signal  text not null,
  unique (pillar, position),
  unique (pillar, name),
  check (split_part(id, '.', 1) = pillar)
);

create table app.connections (
  id          text primary key check (id ~ '^[EH]CP-[0-9]{2}$'),
  mode        text not null references app.modes (id),
  from_pillar text not null,
  to_pillar   text not null,
  -- Discretionary connections have no name; the others always do.
  name        text,
  type        text not null check (type in ('reinforce', 'inverse', 'discretionary')),
  strength    double precision not null check (strength >= 0 and strength <= 1),
  description text not null,
  example     text not null,
  foreign key (from_pillar, mode) references app.pillars (id, mode),
  foreign key (to_pillar, mode) references app.pillars (id, mode),
  unique (from_pillar, to_pillar),
  check (from_pillar <> to_pillar),
  check ((type = 'discretionary') = (name is null))
);

create index connections_to_pillar_idx on app.connections (to_pillar);

-- One row per seeded dataset: the content hash the server compares against at start-up.
create table app.dataset_version (
  dataset   text primary key,
  version   text not null,
  seeded_at timestamptz not null default now()
);
