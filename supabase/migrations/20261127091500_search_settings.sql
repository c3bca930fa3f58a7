-- Filtered vector search keeps its recall: pgvector's iterative index scans continue past the
-- first candidates until enough rows pass the filter, with a wider search list. Set as the
-- database's defaults (new sessions) and for the session running this migration, so queries
-- need no per-statement settings (which cost a transaction and two round trips each).
do $$
begin
  execute format('alter database %I set hnsw.iterative_scan = %L', current_database(), 'relaxed_order');
  execute format('alter database %I set hnsw.ef_search = %L', current_database(), '200');
exception when insufficient_privilege then
  raise notice 'search settings not stored as database defaults (not the owner): filtered vector search may return fewer rows';
end
$$;

set hnsw.iterative_scan = relaxed_order;
set hnsw.ef_search = 200;
