-- The playground's settings per workspace: the weakest role that may use it (developer when a workspace has no row).
create table playground_settings (
    workspace_id  text primary key references workspaces (id),
    min_role      text not null,
    updated_by    text,
    updated_at    bigint not null
);
