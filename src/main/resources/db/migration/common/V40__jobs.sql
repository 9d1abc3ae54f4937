-- Bulk jobs: one row per job and one per item. Each item runs as an ordinary run; an item is claimed
-- with a lease so a crashed node's items are claimed again once the lease ends.
create table jobs (
    id              text primary key,
    workspace_id    text not null references workspaces (id),
    model_id        text not null,
    model_slug      text not null,
    mode            text not null,
    params          text not null,
    options         text not null,
    status          text not null,
    item_count      integer not null,
    principal_type  text not null,
    user_id         text,
    key_id          text,
    key_prefix      text,
    role            text not null,
    request_id      text,
    created_at      bigint not null,
    updated_at      bigint not null,
    completed_at    bigint
);
create index jobs_workspace_status on jobs (workspace_id, status);

create table job_items (
    job_id          text not null references jobs (id),
    idx             integer not null,
    workspace_id    text not null,
    status          text not null,
    input           text not null,
    run_id          text,
    output          text,
    error           text,
    attempts        integer not null default 0,
    retries         integer not null default 0,
    lease_until     bigint,
    not_before      bigint not null default 0,
    updated_at      bigint not null,
    primary key (job_id, idx)
);
create index job_items_claim on job_items (status, not_before);
