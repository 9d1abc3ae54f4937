-- Accounts: workspaces, users, memberships, API keys, refresh tokens, server secrets.
-- Times are UTC epoch milliseconds; booleans are integers 0/1.
create table server_secrets (
    name        text primary key,
    value       text not null,
    created_at  bigint not null
);

create table workspaces (
    id          text primary key,
    name        text not null,
    created_at  bigint not null
);

create table users (
    id            text primary key,
    email         text not null unique,
    name          text not null,
    password_hash text not null,
    created_at    bigint not null
);

create table memberships (
    workspace_id text not null references workspaces (id),
    user_id      text not null references users (id),
    role         text not null,
    created_at   bigint not null,
    primary key (workspace_id, user_id)
);
create index memberships_user on memberships (user_id);

create table api_keys (
    id           text primary key,
    workspace_id text not null references workspaces (id),
    created_by   text not null references users (id),
    name         text not null,
    prefix       text not null,
    secret_hash  text not null unique,
    role         text not null,
    models       text,
    expires_at   bigint,
    last_used_at bigint,
    created_at   bigint not null,
    revoked_at   bigint
);
create index api_keys_workspace on api_keys (workspace_id, created_at);

create table refresh_tokens (
    id           text primary key,
    family_id    text not null,
    user_id      text not null references users (id),
    workspace_id text not null references workspaces (id),
    token_hash   text not null unique,
    expires_at   bigint not null,
    created_at   bigint not null,
    used_at      bigint,
    revoked_at   bigint
);
create index refresh_tokens_family on refresh_tokens (family_id);
