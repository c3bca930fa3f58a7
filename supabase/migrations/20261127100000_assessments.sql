-- The learner journey: assessments, their generated quiz, answers, results and the
-- idempotency keys of answer requests. In the `app` schema, away from Supabase's API roles.
--
-- Losslessness comes from the shape: one row per (assessment, question) answer, written with
-- an idempotent upsert that checks ownership, the question and the assessment's state in the
-- same statement. Completing locks the assessment row (FOR UPDATE) while answers take a
-- FOR KEY SHARE lock on it, so no answer can land after the results were computed.

create table app.assessments (
  id           uuid primary key,
  -- Insertion order: the stable key of the history's cursor (timestamps can tie).
  seq          bigint generated always as identity unique,
  user_id      uuid not null references app.users (id) on delete cascade,
  pillar       text not null,
  mode         text not null,
  status       text not null default 'created' check (status in ('created', 'in_progress', 'completed')),
  created_at   timestamptz not null default now(),
  completed_at timestamptz,
  -- The pillar must belong to the mode.
  foreign key (pillar, mode) references app.pillars (id, mode),
  check ((status = 'completed') = (completed_at is not null))
);

create index assessments_user_seq_idx on app.assessments (user_id, seq desc);

-- Who is generating an assessment's quiz. Taking the claim is one statement, so of several
-- requests (or instances) exactly one calls the LLM; the holder refreshes `heartbeat_at`, and
-- a claim whose heartbeat is older than the stale limit may be taken over. The row stays, with
-- `done`, once the quiz is stored: a late claimant then finds it done instead of a free slot.
create table app.quiz_claims (
  assessment_id uuid primary key references app.assessments (id) on delete cascade,
  claim_id      uuid not null,
  heartbeat_at  timestamptz not null default now(),
  done          boolean not null default false
);

-- The generated quiz, written once: which model wrote it and the knowledge it was grounded in.
create table app.quizzes (
  assessment_id uuid primary key references app.assessments (id) on delete cascade,
  provider      text not null,
  model         text not null,
  -- Knowledge chunk ids, for citations.
  sources       jsonb not null default '[]',
  created_at    timestamptz not null default now()
);

create table app.quiz_questions (
  assessment_id uuid not null references app.quizzes (assessment_id) on delete cascade,
  id            text not null check (id ~ '^q[0-9]{2}$'),
  position      smallint not null,
  text          text not null check (length(text) between 1 and 400),
  force         text not null references app.forces (id),
  reverse       boolean not null,
  primary key (assessment_id, id),
  unique (assessment_id, position)
);

create table app.answers (
  assessment_id uuid not null,
  question_id   text not null,
  value         smallint not null check (value between 1 and 5),
  answered_at   timestamptz not null default now(),
  primary key (assessment_id, question_id),
  foreign key (assessment_id, question_id) references app.quiz_questions (assessment_id, id) on delete cascade
);

-- Results, computed once at completion. `document` is the results as the API answers them
-- (force scores, effects, strengths, growth areas), `pillar_score` a copy for progress queries.
create table app.results (
  assessment_id   uuid primary key references app.assessments (id) on delete cascade,
  pillar_score    double precision not null check (pillar_score between 0 and 100),
  document        jsonb not null,
  scoring_version text not null,
  computed_at     timestamptz not null default now()
);

-- `Idempotency-Key` per user: the request's fingerprint and the response it got, replayed
-- for a repeat. Keys are kept for a day.
create table app.idempotency_keys (
  user_id     uuid not null references app.users (id) on delete cascade,
  key         text not null check (length(key) between 1 and 255),
  fingerprint text not null,
  status      smallint not null,
  body        text not null,
  created_at  timestamptz not null default now(),
  primary key (user_id, key)
);

create index idempotency_keys_created_idx on app.idempotency_keys (created_at);
