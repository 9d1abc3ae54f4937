-- Webhooks: endpoints a workspace registered, and one delivery row per event and endpoint. A delivery
-- is claimed with a lease like a bulk item, so any node may send it, a dead node's delivery is sent
-- again once its lease ends, and a restart continues where the rows say.
create table webhook_endpoints (
    id              text primary key,
    workspace_id    text not null references workspaces (id),
    url             text not null,
    events          text not null,
    secret          text not null,
    description     text,
    created_by      text,
    created_at      bigint not null
);
create index webhook_endpoints_workspace on webhook_endpoints (workspace_id);

create table webhook_deliveries (
    id              text primary key,
    workspace_id    text not null,
    endpoint_id     text not null,
    event_id        text not null,
    event_type      text not null,
    payload         text not null,
    status          text not null,
    attempts        integer not null default 0,
    next_attempt_at bigint not null,
    lease_until     bigint,
    response_status integer,
    last_error      text,
    created_at      bigint not null,
    updated_at      bigint not null,
    completed_at    bigint
);
create index webhook_deliveries_claim on webhook_deliveries (status, next_attempt_at);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, created_at);
