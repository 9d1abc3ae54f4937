-- Runs, usage records and execution logs. JSON documents are stored as text.
create table runs (
    id               text primary key,
    workspace_id     text not null references workspaces (id),
    model_id         text not null,
    model_slug       text not null,
    release_version  text not null,
    mode             text not null,
    kind             text not null,
    scope            text,
    status           text not null,
    input            text,
    params           text,
    options          text,
    output           text,
    error            text,
    input_tokens     bigint not null default 0,
    output_tokens    bigint not null default 0,
    units            bigint not null default 0,
    usage_estimated  integer not null default 0,
    cost_micros      bigint not null default 0,
    provider         text,
    provider_model   text,
    principal_type   text not null,
    user_id          text,
    key_id           text,
    key_prefix       text,
    request_id       text,
    entry_point      text not null,
    parent_run_id    text,
    lease_until      bigint,
    created_at       bigint not null,
    started_at       bigint,
    completed_at     bigint
);
create index runs_workspace_created on runs (workspace_id, created_at);
create index runs_status on runs (status, created_at);

create table usage_records (
    id               text primary key,
    run_id           text,
    workspace_id     text not null,
    principal_type   text not null,
    user_id          text,
    key_id           text,
    key_prefix       text,
    model_id         text,
    model_slug       text,
    release_version  text,
    mode             text,
    kind             text,
    provider         text,
    provider_model   text,
    input_tokens     bigint not null default 0,
    output_tokens    bigint not null default 0,
    units            bigint not null default 0,
    usage_estimated  integer not null default 0,
    cost_micros      bigint not null default 0,
    status           text not null,
    error_code       text,
    latency_ms       bigint not null default 0,
    request_id       text,
    entry_point      text not null,
    parent_run_id    text,
    created_at       bigint not null
);
create unique index usage_records_run on usage_records (run_id);
create index usage_records_workspace_created on usage_records (workspace_id, created_at);

create table execution_logs (
    id            text primary key,
    run_id        text not null,
    workspace_id  text not null,
    seq           integer not null,
    step          text not null,
    name          text,
    provider      text,
    provider_model text,
    outcome       text not null,
    failure_class text,
    http_status   integer,
    latency_ms    bigint not null default 0,
    detail        text,
    created_at    bigint not null
);
create unique index execution_logs_run_seq on execution_logs (run_id, seq);
