-- MCP sessions (Mcp-Session-Id) in the database, so that any node serves any request of a session.
-- Only the id's SHA-256 is stored. A session ends by DELETE /mcp or after an hour without use.
create table mcp_sessions (
    id_hash          text primary key,
    workspace_id     text not null,
    key_id           text,
    protocol_version text not null,
    created_at       bigint not null,
    last_used_at     bigint not null
);
create index mcp_sessions_last_used on mcp_sessions (last_used_at);
