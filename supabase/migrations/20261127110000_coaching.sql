-- Coaching transcripts: a finished coaching run, replayed to later requests instead of
-- calling the model again. `events` is the run as it was streamed (sources, deltas, done), so
-- a replay carries the same event ids a client may resume after. One per assessment: the
-- first stored wins when two instances finish a run each.
create table app.coaching_transcripts (
  assessment_id uuid primary key references app.assessments (id) on delete cascade,
  generation    text not null check (generation ~ '^[a-z0-9]{1,32}$'),
  events        jsonb not null,
  provider      text not null,
  created_at    timestamptz not null default now()
);
