-- The change log of vector namespaces: every write records the ids it touched at the generation it
-- produced, in the same transaction. A node whose index is at generation g catches up by applying the
-- current state of the ids logged after g; it rebuilds only when the log no longer reaches back to g
-- (the oldest generations are compacted away).
create table vector_changes (
    workspace_id  text not null,
    model_id      text not null,
    collection    text not null,
    scope         text not null,
    generation    bigint not null,
    item_id       text not null,
    primary key (workspace_id, model_id, collection, scope, generation, item_id)
);
