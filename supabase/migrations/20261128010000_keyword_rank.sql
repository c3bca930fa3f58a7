-- The keyword half of app.search_knowledge ranks its candidates with ts_rank instead of
-- ts_rank_cd. Cover density looks for the shortest stretches of text holding the query's words;
-- our keyword queries are disjunctions (any word may match), so every single occurrence is such a
-- stretch and cover density mostly counts occurrences, as ts_rank does, at several times the
-- price. On embedded PGlite (seeded corpus) ranking all 217 chunks took 4–7 µs a chunk with
-- ts_rank_cd and 0.5–1.3 µs with ts_rank; a whole search 10–20% less CPU (medians and minimums
-- of 20 interleaved rounds of the 40 relevance questions). Relevance on those 40 questions:
-- hybrid recall@5 0.825 → 0.850 and MRR 0.702 → 0.696; keyword only recall@5 0.900 both, MRR
-- 0.788 → 0.810. At 100,000 chunks the 300 candidates a search may rank
-- (20261127140000_search_tuning.sql) cost less too.
--
-- Otherwise the function of 20261127140000_search_tuning.sql, same signature, with the setting
-- 20261127170000_search_lexeme_lookup.sql added (create or replace resets a function's settings,
-- so it is written here again).
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
set enable_hashjoin = off
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
        select c.id, ts_rank(c.search, (select every_word from words))::float8 as score
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
