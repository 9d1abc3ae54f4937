-- The last result of each published model's evaluation suite per release and workspace (the playground validates a
-- release with it; the marketplace detail shows it). One row per workspace, model and release, replaced by each run.
create table playground_release_results (
    workspace_id     text not null references workspaces (id),
    model_id         text not null,
    release_version  text not null,
    cases            integer not null,
    passed           integer not null,
    failed           integer not null,
    cost_micros      bigint not null,
    user_id          text,
    evaluated_at     bigint not null,
    primary key (workspace_id, model_id, release_version)
);
