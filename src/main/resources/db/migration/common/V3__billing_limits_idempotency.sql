-- Wallets, reservations (holds), the ledger, per-workspace/per-key limit overrides and idempotency keys.
-- Money is integer micro-credits; times are UTC epoch milliseconds.
create table wallets (
    workspace_id text primary key references workspaces (id),
    balance      bigint not null default 0 check (balance >= 0),
    reserved     bigint not null default 0 check (reserved >= 0),
    currency     text not null default 'credits',
    updated_at   bigint not null
);

-- One row per run holding a reservation; the lease lets a sweep release holds of a dead process.
create table wallet_holds (
    run_id       text primary key,
    workspace_id text not null,
    amount       bigint not null check (amount >= 0),
    lease_until  bigint not null,
    created_at   bigint not null
);
create index wallet_holds_lease on wallet_holds (lease_until);

create table ledger_entries (
    id            text primary key,
    workspace_id  text not null,
    kind          text not null,
    amount        bigint not null,
    balance_after bigint not null,
    run_id        text,
    reason        text,
    user_id       text,
    created_at    bigint not null
);
create index ledger_entries_workspace on ledger_entries (workspace_id, created_at);
create unique index ledger_entries_run_kind on ledger_entries (run_id, kind);

create table limit_overrides (
    scope_type           text not null,
    scope_id             text not null,
    workspace_id         text not null,
    requests_per_minute  bigint,
    tokens_per_minute    bigint,
    concurrent_runs      bigint,
    daily_credits        bigint,
    monthly_credits      bigint,
    updated_at           bigint not null,
    primary key (scope_type, scope_id)
);

create table idempotency_keys (
    workspace_id text not null,
    idem_key     text not null,
    body_hash    text not null,
    state        text not null,
    owner        text,
    lease_until  bigint,
    run_id       text,
    status_code  integer,
    response     text,
    created_at   bigint not null,
    primary key (workspace_id, idem_key)
);
create index idempotency_keys_created on idempotency_keys (created_at);
