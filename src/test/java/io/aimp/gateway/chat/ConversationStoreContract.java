package io.aimp.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.storage.DataSources;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StorageProperties;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The contract every {@link ConversationStore} keeps, on SQLite and on PostgreSQL. */
abstract class ConversationStoreContract {

    static final JsonMapper JSON = JsonMapper.builder().build();

    HikariDataSource ds;
    ConversationStore store;

    abstract StorageProperties storage() throws Exception;

    @BeforeEach
    void open() throws Exception {
        StorageProperties props = storage();
        ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        Database db = new Database(ds, props.dialect());
        for (String ws : List.of("ws_1", "ws_2")) {
            db.jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, 0)").params(ws, ws).update();
        }
        store = new JdbcConversationStore(db, JSON);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private static Conversation conversation(String id, String ws, String model, String endUser, String user, long at) {
        return new Conversation(id, ws, model, "bot", endUser, user, null, 0, at, at);
    }

    private static ConversationMessage message(String role, String content) {
        return new ConversationMessage("msg_" + content.hashCode() + role, null, 0, role, content,
                role.equals("assistant") ? JSON.readTree("[{\"id\":\"p1\"}]") : null, "run_1", 5);
    }

    @Test
    void should_append_messages_in_order_and_return_the_last_ones_oldest_first() {
        store.insert(conversation("conv_a", "ws_1", "mdl_1", "ada", "usr_1", 1));

        assertThat(store.append("conv_a", List.of(message("user", "q1"), message("assistant", "a1")), 10)).isTrue();
        assertThat(store.append("conv_a", List.of(message("user", "q2"), message("assistant", "a2")), 20)).isTrue();

        assertThat(store.lastMessages("conv_a", 2)).extracting(ConversationMessage::content).containsExactly("q2", "a2");
        assertThat(store.messages("conv_a")).extracting(ConversationMessage::seq).containsExactly(1, 2, 3, 4);
        assertThat(store.messages("conv_a").get(1).citations().get(0).path("id").asString()).isEqualTo("p1");
        Conversation c = store.find("ws_1", "conv_a").orElseThrow();
        assertThat(c.messageCount()).isEqualTo(4);
        assertThat(c.updatedAt()).isEqualTo(20);
        assertThat(store.append("conv_gone", List.of(message("user", "q")), 30)).isFalse();
    }

    @Test
    void should_keep_workspaces_apart_and_filter_lists() {
        store.insert(conversation("conv_a", "ws_1", "mdl_1", "ada", "usr_1", 1));
        store.insert(conversation("conv_b", "ws_1", "mdl_2", "bob", "usr_2", 2));
        store.insert(conversation("conv_c", "ws_2", "mdl_1", "ada", "usr_3", 3));

        assertThat(store.find("ws_2", "conv_a")).isEmpty();
        assertThat(store.list(new ConversationStore.Query("ws_1", null, null, null, 10, 0)))
                .extracting(Conversation::id).containsExactly("conv_b", "conv_a");
        assertThat(store.list(new ConversationStore.Query("ws_1", null, "mdl_1", "ada", 10, 0)))
                .extracting(Conversation::id).containsExactly("conv_a");
        assertThat(store.count(new ConversationStore.Query("ws_1", "usr_2", null, null, 10, 0))).isEqualTo(1);
        // a key's allowlist matches by id or by slug
        assertThat(store.list(new ConversationStore.Query("ws_1", null, null, null, 10, 0, java.util.Set.of("mdl_2"))))
                .extracting(Conversation::id).containsExactly("conv_b");
        assertThat(store.count(new ConversationStore.Query("ws_1", null, null, null, 10, 0, java.util.Set.of("nothing"))))
                .isZero();
        assertThat(store.delete("ws_2", "conv_a")).isFalse();
        assertThat(store.delete("ws_1", "conv_a")).isTrue();
        assertThat(store.find("ws_1", "conv_a")).isEmpty();
    }

    @Test
    void should_delete_only_the_conversations_of_a_model_idle_past_the_cutoff() {
        store.insert(conversation("conv_old", "ws_1", "mdl_1", null, "usr_1", 100));
        store.append("conv_old", List.of(message("user", "old")), 100);
        store.insert(conversation("conv_new", "ws_1", "mdl_1", null, "usr_1", 500));
        store.insert(conversation("conv_other", "ws_1", "mdl_2", null, "usr_1", 100));

        assertThat(store.deleteIdleSince("mdl_1", 200)).isEqualTo(1);

        assertThat(store.find("ws_1", "conv_old")).isEmpty();
        assertThat(store.messages("conv_old")).isEmpty();
        assertThat(store.find("ws_1", "conv_new")).isPresent();
        assertThat(store.find("ws_1", "conv_other")).isPresent();
    }
}
