-- Search tuning, measured with `pnpm bench` on 100,000 generated chunks (see the README's
-- Performance section): forty candidates a half instead of fifty, ef_search 40 instead of 100,
-- and tighter bounds on the keyword half's candidates (100 and 300 instead of 200 and 500).
-- Replaces app.search_knowledge from 20261127121500_knowledge_search.sql with the same signature.

-- Hybrid search: up to 40 semantic candidates (HNSW, cosine) and up to 40 keyword candidates
-- (full text, ts_rank_cd) under the same filters, fused by reciprocal rank (k = 60), best
-- `result_limit` first. A null `query_vector` (the embeddings provider failed) leaves the
-- keyword half alone. Forty candidates a half: on the seeded corpus the relevance cases score as
-- they did with fifty, and at 100,000 chunks the semantic half costs about half as much.
--
-- Filtered vector search keeps its recall through pgvector's iterative index scans
-- (relaxed_order: the scan continues past ef_search until enough rows pass the filter, handing
-- rows out roughly nearest first; the candidates are re-sorted by exact distance here). On
-- 100,000 generated chunks with a filter matching 5% of them (pnpm bench), the top 10 of 40
-- candidates reached recall@10 0.97 against an exact scan, with ef_search 40 or 100 alike; the
-- first 10 rows of a scan asked for only 10 reached 0.90, and strict_order 0.83.
--
-- The keyword half selects candidates with the query's rarest words only: the rarest always,
-- then the next rarest while together they occur in at most 100 chunks; every word of the query
-- still counts in the rank. Common words ("team", "work") would otherwise make it rank most of a
-- large corpus (≈ 45% of 100,000 chunks for a typical question: ≈ 300 ms of CPU), since ranking
-- costs a heap fetch and a ts_rank_cd per chunk. When even the rarest word is that common, 300
-- of its chunks are ranked (any 300: the semantic half still sees the whole corpus). On the
-- seeded corpus the bound changes no result of the relevance cases.
create or replace function app.search_knowledge(
  model text,
  query_vector vector,
  query_text text,
  only_pillar text,
  only_mode text,
  only_category text,
  result_limit integer,
  threshold float8
) returns table (
  id text,
  title text,
  body text,
  pillar text,
  mode text,
  category text,
  vector_score float8,
  keyword_score float8,
  fused float8
)
language plpgsql stable
set hnsw.iterative_scan = relaxed_order
set hnsw.ef_search = 40
as $$
#variable_conflict use_column
declare
  nearest_ids text[];
  nearest_distances float8[];
begin
  if query_vector is not null then
    case model
      when 'offline-hash-v1' then
        select array_agg(n.id order by n.distance), array_agg(n.distance order by n.distance)
          into nearest_ids, nearest_distances
          from app.nearest_offline_hash_v1(query_vector, only_pillar, only_mode, only_category, 40) n;
      when 'text-embedding-3-small' then
        select array_agg(n.id order by n.distance), array_agg(n.distance order by n.distance)
          into nearest_ids, nearest_distances
          from app.nearest_text_embedding_3_small(query_vector, only_pillar, only_mode, only_category, 40) n;
      else
        raise exception 'No nearest-neighbour index for embedding model %', model
          using hint = 'Add an HNSW index and an app.nearest_… function for it in a migration.';
    end case;
  end if;

  return query
    with
    semantic as (
      select n.id, 1 - n.distance as score, n.rank
      from unnest(nearest_ids, nearest_distances) with ordinality as n (id, distance, rank)
      where 1 - n.distance >= threshold
    ),
    lexemes as (
      select t.lexeme, coalesce(s.chunks, 0) as chunks
      from unnest(tsvector_to_array(to_tsvector('english', query_text))) as t (lexeme)
      left join app.knowledge_terms s on s.lexeme = t.lexeme
    ),
    -- Lexemes quoted for tsquery input (quotes and backslashes doubled), rarest first.
    rarity as (
      select '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''' as term,
             sum(chunks) over by_rarity as running, row_number() over by_rarity as position
      from lexemes
      window by_rarity as (order by chunks, lexeme)
    ),
    words as (
      select string_agg(term, ' | ')::tsquery as every_word,
             (string_agg(term, ' | ') filter (where running <= 100 or position = 1))::tsquery as rarest_words
      from rarity
    ),
    keyword as (
      select m.id, m.score, row_number() over (order by m.score desc, m.id) as rank
      from (
        select c.id, ts_rank_cd(c.search, (select every_word from words))::float8 as score
        from (
          select c.id, c.search
          from app.knowledge_chunks c
          where c.search @@ (select rarest_words from words)
            and (only_pillar is null or c.pillar = only_pillar)
            and (only_mode is null or c.mode = only_mode)
            and (only_category is null or c.category = only_category)
          limit 300
        ) c
        order by score desc, c.id
        limit 40
      ) m
    ),
    fusion as (
      select coalesce(s.id, k.id) as id, s.score as vector_score, k.score as keyword_score,
             coalesce(1.0::float8 / (60 + s.rank), 0) + coalesce(1.0::float8 / (60 + k.rank), 0) as fused
      from semantic s
      full join keyword k on k.id = s.id
      order by fused desc, id
      limit result_limit
    )
    select c.id, c.title, c.body, c.pillar, c.mode, c.category, f.vector_score, f.keyword_score, f.fused
    from fusion f
    join app.knowledge_chunks c on c.id = f.id
    order by f.fused desc, c.id;
end
$$;
