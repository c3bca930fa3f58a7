-- On embedded PGlite (PostgreSQL compiled to WebAssembly) the offline model's HNSW index holds
-- full-precision vectors instead of the half-precision copies 20261127121500_knowledge_search.sql
-- gave it. A native pgvector converts half floats with the CPU's F16C instructions; WebAssembly
-- has none, so every conversion runs in software. On the seeded corpus (217 chunks, PGlite 0.5)
-- the 40-candidate index scan took 1.26 ms on halfvec against 0.18 ms on vector (EXPLAIN
-- ANALYZE), and the whole app.search_knowledge call 2.1 ms against 1.1 ms of CPU. PGlite runs
-- one statement at a time in the server's own thread, so that time is paid by every search
-- queued behind it. What halfvec buys is memory: a 100,000-chunk graph that fits PostgreSQL's
-- shared buffers. That matters on a real server, which keeps halfvec (this block does nothing
-- there), not for the embedded default's corpus.
--
-- Same index name and function signature, so the search and its tests are unchanged; only the
-- precision the candidates are ordered by differs (reported distances were already full
-- precision). The OpenAI model's index stays on halfvec everywhere.
do $migration$
begin
  if version() not like '%wasm32%' then
    return;
  end if;

  drop index app.knowledge_embeddings_offline_hnsw;
  create index knowledge_embeddings_offline_hnsw on app.knowledge_embeddings
    using hnsw ((embedding::vector(384)) vector_cosine_ops)
    where model = 'offline-hash-v1';

  -- As in 20261127121500_knowledge_search.sql, ordered by the full-precision expression the
  -- index above holds, so that the planner still matches it.
  create or replace function app.nearest_offline_hash_v1(
    query_vector vector, only_pillar text, only_mode text, only_category text, candidates integer
  ) returns table (id text, distance float8)
  language sql stable as $$
    select e.chunk_id, e.embedding::vector(384) <=> query_vector::vector(384)
    from app.knowledge_embeddings e
    where e.model = 'offline-hash-v1'
      and (only_pillar is null or e.pillar = only_pillar)
      and (only_mode is null or e.mode = only_mode)
      and (only_category is null or e.category = only_category)
    order by e.embedding::vector(384) <=> query_vector::vector(384)
    limit candidates
  $$;
end
$migration$;
