-- The content library: posts as their latest revision has them, and every revision, immutable. A post and a
-- revision saved by a run are written in the transaction that commits the run.
create table content_posts (
    id               text primary key,
    workspace_id     text not null references workspaces (id),
    user_id          text,
    post_type        text not null,
    status           text not null,
    title            text,
    content_html     text not null,
    excerpt          text,
    tags             text not null,
    categories       text not null,
    seo_description  text,
    metadata         text not null,
    revision         integer not null,
    created_at       bigint not null,
    updated_at       bigint not null
);
create index content_posts_workspace_created on content_posts (workspace_id, created_at);

create table content_revisions (
    post_id          text not null references content_posts (id) on delete cascade,
    revision         integer not null,
    workspace_id     text not null,
    post_type        text not null,
    status           text not null,
    title            text,
    content_html     text not null,
    excerpt          text,
    tags             text not null,
    categories       text not null,
    seo_description  text,
    metadata         text not null,
    run_id           text,
    model            text,
    release_version  text,
    operation        text not null,
    user_id          text,
    created_at       bigint not null,
    primary key (post_id, revision)
);
