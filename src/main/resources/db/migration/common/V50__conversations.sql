-- Chatbot conversations and their messages. Written in the transaction that commits the run of the turn.
create table conversations (
    id             text primary key,
    workspace_id   text not null references workspaces (id),
    model_id       text not null,
    model_slug     text not null,
    end_user       text,
    user_id        text,
    key_id         text,
    message_count  integer not null default 0,
    created_at     bigint not null,
    updated_at     bigint not null
);
create index conversations_workspace_updated on conversations (workspace_id, updated_at);
create index conversations_model_updated on conversations (model_id, updated_at);

create table conversation_messages (
    id               text primary key,
    conversation_id  text not null references conversations (id) on delete cascade,
    seq              integer not null,
    role             text not null,
    content          text not null,
    citations        text,
    run_id           text,
    created_at       bigint not null,
    unique (conversation_id, seq)
);
