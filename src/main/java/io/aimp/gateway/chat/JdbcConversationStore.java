package io.aimp.gateway.chat;

import io.aimp.gateway.storage.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** {@link ConversationStore} on SQLite and PostgreSQL with the same SQL. */
@Repository
class JdbcConversationStore implements ConversationStore {

    private static final String COLUMNS = "id, workspace_id, model_id, model_slug, end_user, user_id, key_id, "
            + "message_count, created_at, updated_at";
    private static final String MESSAGE_COLUMNS = "id, conversation_id, seq, role, content, citations, run_id, created_at";

    private final Database db;
    private final ObjectMapper json;

    JdbcConversationStore(Database db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @Override
    public void insert(Conversation c) {
        db.jdbc().sql("insert into conversations (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.id(), c.workspaceId(), c.modelId(), c.modelSlug(), c.endUser(), c.userId(), c.keyId(),
                        c.messageCount(), c.createdAt(), c.updatedAt())
                .update();
    }

    @Override
    public Optional<Conversation> find(String workspaceId, String id) {
        return db.jdbc().sql("select " + COLUMNS + " from conversations where workspace_id = ? and id = ?")
                .params(workspaceId, id).query(JdbcConversationStore::conversation).optional();
    }

    @Override
    public List<Conversation> list(Query q) {
        List<Object> args = new ArrayList<>();
        String where = where(q, args);
        args.add(q.limit());
        args.add(q.offset());
        return db.jdbc().sql("select " + COLUMNS + " from conversations" + where
                        + " order by updated_at desc, id desc limit ? offset ?")
                .params(args).query(JdbcConversationStore::conversation).list();
    }

    @Override
    public long count(Query q) {
        List<Object> args = new ArrayList<>();
        return db.jdbc().sql("select count(*) from conversations" + where(q, args)).params(args)
                .query(Long.class).single();
    }

    private static String where(Query q, List<Object> args) {
        StringBuilder sb = new StringBuilder(" where workspace_id = ?");
        args.add(q.workspaceId());
        if (q.userId() != null) {
            sb.append(" and user_id = ?");
            args.add(q.userId());
        }
        if (q.modelId() != null) {
            sb.append(" and model_id = ?");
            args.add(q.modelId());
        }
        if (q.endUser() != null) {
            sb.append(" and end_user = ?");
            args.add(q.endUser());
        }
        sb.append(io.aimp.gateway.storage.Filter.eitherIn("model_slug", "model_id", q.models(), args));
        return sb.toString();
    }

    @Override
    public List<ConversationMessage> lastMessages(String conversationId, int limit) {
        List<ConversationMessage> newestFirst = db.jdbc().sql("select " + MESSAGE_COLUMNS
                        + " from conversation_messages where conversation_id = ? order by seq desc limit ?")
                .params(conversationId, limit).query(this::message).list();
        return newestFirst.reversed();
    }

    @Override
    public List<ConversationMessage> messages(String conversationId) {
        return db.jdbc().sql("select " + MESSAGE_COLUMNS + " from conversation_messages where conversation_id = ? order by seq")
                .param(conversationId).query(this::message).list();
    }

    @Override
    public boolean append(String conversationId, List<ConversationMessage> messages, long now) {
        // the row lock of this update orders concurrent turns of one conversation
        Optional<Integer> count = db.jdbc().sql("update conversations set message_count = message_count + ?, updated_at = ? "
                        + "where id = ? returning message_count")
                .params(messages.size(), now, conversationId).query(Integer.class).optional();
        if (count.isEmpty()) {
            return false;
        }
        int seq = count.get() - messages.size();
        for (ConversationMessage m : messages) {
            seq++;
            db.jdbc().sql("insert into conversation_messages (" + MESSAGE_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(m.id(), conversationId, seq, m.role(), m.content(),
                            m.citations() == null ? null : json.writeValueAsString(m.citations()), m.runId(), m.createdAt())
                    .update();
        }
        return true;
    }

    @Override
    public boolean delete(String workspaceId, String id) {
        return db.inTransaction(() -> {
            db.jdbc().sql("delete from conversation_messages where conversation_id = "
                    + "(select id from conversations where workspace_id = ? and id = ?)").params(workspaceId, id).update();
            return db.jdbc().sql("delete from conversations where workspace_id = ? and id = ?")
                    .params(workspaceId, id).update() == 1;
        });
    }

    @Override
    public int deleteIdleSince(String modelId, long before) {
        return db.inTransaction(() -> {
            db.jdbc().sql("delete from conversation_messages where conversation_id in "
                    + "(select id from conversations where model_id = ? and updated_at < ?)").params(modelId, before).update();
            return db.jdbc().sql("delete from conversations where model_id = ? and updated_at < ?")
                    .params(modelId, before).update();
        });
    }

    private static Conversation conversation(ResultSet rs, int row) throws SQLException {
        return new Conversation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getLong(9), rs.getLong(10));
    }

    private ConversationMessage message(ResultSet rs, int row) throws SQLException {
        String citations = rs.getString(6);
        return new ConversationMessage(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                citations == null ? null : json.readTree(citations), rs.getString(7), rs.getLong(8));
    }
}
