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
create table idempotency_keys_scoped (
    workspace_id text not null,
    caller       text not null default '-',
    idem_key     text not null,
    body_hash    text not null,
    state        text not null,
    owner        text,
    lease_until  bigint,
    run_id       text,
    status_code  integer,
    response     text,
    created_at   bigint not null,
    primary key (workspace_id, caller, idem_key)
);
insert into idempotency_keys_scoped (workspace_id, caller, idem_key, body_hash, state, owner, lease_until, run_id,
                                     status_code, response, created_at)
select workspace_id, '-', idem_key, body_hash, state, owner, lease_until, run_id, status_code, response, created_at
from idempotency_keys;
drop table idempotency_keys;
alter table idempotency_keys_scoped rename to idempotency_keys;
create index idempotency_keys_created on idempotency_keys (created_at);
