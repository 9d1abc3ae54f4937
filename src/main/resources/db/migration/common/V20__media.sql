-- Media uploads, completed media and per-workspace storage usage. Times are UTC epoch milliseconds.
-- The upload states and their allowed moves are declared in media/UploadState.java.
create table media_uploads (
    id            text primary key,
    workspace_id  text not null references workspaces (id),
    user_id       text,
    key_id        text,
    filename      text not null,
    content_type  text not null,
    media_type    text not null,
    size_bytes    bigint not null,
    state         text not null,
    blob_key      text not null,
    sha256        text,
    media_id      text,
    expires_at    bigint not null,
    created_at    bigint not null,
    updated_at    bigint not null
);
create index media_uploads_state_expires on media_uploads (state, expires_at);

create table media (
    id            text primary key,
    workspace_id  text not null references workspaces (id),
    upload_id     text not null unique,
    filename      text not null,
    content_type  text not null,
    media_type    text not null,
    size_bytes    bigint not null,
    sha256        text not null,
    width         integer,
    height        integer,
    blob_key      text not null,
    created_at    bigint not null
);
create index media_workspace_created on media (workspace_id, created_at);

create table media_usage (
    workspace_id   text primary key references workspaces (id),
    used_bytes     bigint not null,
    reserved_bytes bigint not null
);
