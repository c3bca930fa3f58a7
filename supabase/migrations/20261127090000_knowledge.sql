-- The knowledge base: passages of the framework in our own words (seeded by the app from
-- the versioned corpus), their full-text index, and their embeddings. Several embedding
-- models can coexist: one row per (chunk, model), one partial HNSW index per model and
-- dimension. A new model means a new migration with its index.

create table app.knowledge_chunks (
  id           text primary key,
  title        text not null,
  body         text not null,
  keywords     text not null default '',
  pillar       text references app.pillars (id),
  mode         text references app.modes (id),
  category     text not null,
  content_hash text not null,
  search       tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', keywords), 'B') ||
    setweight(to_tsvector('english', body), 'C')
  ) stored
);

create index knowledge_chunks_search_idx on app.knowledge_chunks using gin (search);
create index knowledge_chunks_filter_idx on app.knowledge_chunks (pillar, mode, category);

-- The dimension each model was stored with: start-up refuses a model whose configured
-- dimension differs from what is stored.
create table app.embedding_models (
  model      text primary key,
  dimensions integer not null check (dimensions > 0)
);

create table app.knowledge_embeddings (
  chunk_id     text not null references app.knowledge_chunks (id) on delete cascade,
  model        text not null references app.embedding_models (model),
  content_hash text not null,
  embedding    vector not null,
  primary key (chunk_id, model)
);

-- One approximate-nearest-neighbour index per model (cosine distance).
create index knowledge_embeddings_offline_hnsw on app.knowledge_embeddings
  using hnsw ((embedding::vector(384)) vector_cosine_ops)
  where model = 'offline-hash-v1';

create index knowledge_embeddings_openai_small_hnsw on app.knowledge_embeddings
  using hnsw ((embedding::vector(1536)) vector_cosine_ops)
  where model = 'text-embedding-3-small';
