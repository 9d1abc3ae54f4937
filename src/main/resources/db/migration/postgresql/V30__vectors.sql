-- Vector namespaces (workspace + model + collection + scope) and their items. The database is the
-- source of truth; Lucene indexes under the data directory are derived from it. generation counts
-- the writes to a namespace, so a node can tell whether its index is current.
create table vector_namespaces (
    workspace_id  text not null references workspaces (id),
    model_id      text not null,
    model_slug    text not null,
    collection    text not null,
    scope         text not null,
    dimensions    integer not null,
    embedder      text not null,
    item_count    bigint not null default 0,
    generation    bigint not null default 0,
    created_at    bigint not null,
    updated_at    bigint not null,
    primary key (workspace_id, model_id, collection, scope)
);

create table vector_items (
    workspace_id  text not null,
    model_id      text not null,
    collection    text not null,
    scope         text not null,
    item_id       text not null,
    vector        bytea not null,
    content       text,
    metadata      text,
    created_at    bigint not null,
    updated_at    bigint not null,
    primary key (workspace_id, model_id, collection, scope, item_id)
);
