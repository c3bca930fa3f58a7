-- The keyword half of app.search_knowledge looks up the query's few lexemes in
-- app.knowledge_terms. The planner chose a hash join for it, which reads and hashes the whole
-- table on every search (1,389 lexemes on the seeded corpus, tens of thousands on a large one)
-- to find four or five of them. Every join in the function is small by construction (a query's
-- lexemes, at most 40 candidates a half, `result_limit` rows), so without hash joins each becomes
-- a primary-key probe or a merge of two short sorted lists. On embedded PGlite (seeded corpus,
-- the 40 relevance questions, best of 8 rounds of 120 calls) a search went from 1.34 to 1.20 ms,
-- and its keyword half alone from 0.99 to 0.81 ms. Results are unchanged: every ordering in the
-- function is total (score, then id).
alter function app.search_knowledge(text, vector, text, text, text, text, integer, float8)
  set enable_hashjoin = off;
