-- Invitations: adding a member creates one; only its hashed token is stored. It is accepted once,
-- before it expires, by whoever holds the token: a new account sets its password there, an existing
-- account proves itself with its own password. Nobody sets another person's password.
create table invitations (
    id           text primary key,
    workspace_id text not null references workspaces (id),
    email        text not null,
    name         text,
    role         text not null,
    token_hash   text not null unique,
    created_by   text not null references users (id),
    created_at   bigint not null,
    expires_at   bigint not null,
    accepted_at  bigint,
    revoked_at   bigint
);
create index invitations_workspace on invitations (workspace_id, created_at);

-- Idempotency keys are scoped to the caller (an API key's id, or a user's id for sessions): another
-- member of the workspace sending the same key never sees the first caller's response. Keys stored
-- before this migration keep the caller '-' and only expire.
alter table idempotency_keys add column caller text not null default '-';
alter table idempotency_keys drop constraint idempotency_keys_pkey;
alter table idempotency_keys add primary key (workspace_id, caller, idem_key);
