package io.aimp.gateway.content;

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

/** The contract every {@link PostStore} keeps, on SQLite and on PostgreSQL. */
abstract class PostStoreContract {

    static final JsonMapper JSON = JsonMapper.builder().build();

    HikariDataSource ds;
    PostStore store;

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
        store = new JdbcPostStore(db, JSON);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    static Post post(String id, String ws, String user, String status, String title, List<String> tags,
                     List<String> categories, long at) {
        return new Post(id, ws, user, "post", status, title, "<p>" + title + " body</p>", "ex", tags, categories, "seo",
                JSON.readTree("{\"lang\":\"en\"}"), null, 1, at, at);
    }

    private void create(Post p) {
        store.create(p, new Revision(p, 1, "run_" + p.id(), "writer", "1.0.0", "generate", p.userId(), p.createdAt()));
    }

    private static PostStore.Query query(String ws) {
        return new PostStore.Query(ws, null, null, null, null, null, null, null, null, 20, 0);
    }

    @Test
    void should_keep_every_revision_immutable_and_the_post_at_its_latest() {
        Post p = post("post_a", "ws_1", "usr_1", "draft", "Alpha", List.of("t1"), List.of("News"), 10);
        create(p);
        Post edited = new Post(p.id(), p.workspaceId(), p.userId(), p.postType(), "publish", p.title(), "<p>new</p>",
                p.excerpt(), p.tags(), p.categories(), p.seoDescription(), p.metadata(), "media_1", 2, p.createdAt(), 20);

        assertThat(store.append(new Revision(edited, 2, "run_2", "writer", "1.0.0", "shorten", "usr_1", 20))).isTrue();
        // a second writer that read revision 1 does not overwrite revision 2
        assertThat(store.append(new Revision(edited, 2, "run_3", "writer", "1.0.0", "expand", "usr_1", 30))).isFalse();

        Post latest = store.find("ws_1", "post_a").orElseThrow();
        assertThat(latest.revision()).isEqualTo(2);
        assertThat(latest.contentHtml()).isEqualTo("<p>new</p>");
        assertThat(latest.status()).isEqualTo("publish");
        assertThat(latest.tags()).containsExactly("t1");
        assertThat(latest.metadata().path("lang").asString()).isEqualTo("en");
        assertThat(latest.featuredImage()).isEqualTo("media_1");
        assertThat(store.revision("ws_1", "post_a", 2).orElseThrow().post().featuredImage()).isEqualTo("media_1");
        assertThat(store.revisions("ws_1", "post_a")).extracting(Revision::number).containsExactly(2, 1);
        Revision first = store.revision("ws_1", "post_a", 1).orElseThrow();
        assertThat(first.post().contentHtml()).isEqualTo("<p>Alpha body</p>");
        assertThat(first.post().featuredImage()).isNull();
        assertThat(first.runId()).isEqualTo("run_post_a");
        assertThat(first.operation()).isEqualTo("generate");
        assertThat(store.editedBy("ws_1", "post_a", "writer", "1.0.0", "shorten")).isTrue();
        assertThat(store.editedBy("ws_1", "post_a", "writer", "1.0.1", "shorten")).isFalse();
        assertThat(store.find("ws_2", "post_a")).isEmpty();
        assertThat(store.revisions("ws_2", "post_a")).isEmpty();
    }

    @Test
    void should_filter_and_page_newest_first() {
        create(post("post_1", "ws_1", "usr_1", "draft", "Cats and dogs", List.of("pets"), List.of("Animals"), 100));
        create(post("post_2", "ws_1", "usr_2", "publish", "Dogs only", List.of("pets", "dogs"), List.of("Animals"), 200));
        create(post("post_3", "ws_1", "usr_1", "publish", "Tax 100%", List.of("money"), List.of("Finance_x"), 300));
        create(post("post_4", "ws_2", "usr_3", "publish", "Dogs elsewhere", List.of("pets"), List.of("Animals"), 400));

        assertThat(store.list(query("ws_1"))).extracting(Post::id).containsExactly("post_3", "post_2", "post_1");
        assertThat(store.count(query("ws_1"))).isEqualTo(3);
        assertThat(store.list(new PostStore.Query("ws_1", null, "publish", null, null, null, null, null, null, 20, 0)))
                .extracting(Post::id).containsExactly("post_3", "post_2");
        assertThat(store.list(new PostStore.Query("ws_1", null, null, "post", "Animals", "dogs", null, null, null, 20, 0)))
                .extracting(Post::id).containsExactly("post_2");
        // a tag is matched whole, and LIKE wildcards in a filter are literal
        assertThat(store.list(new PostStore.Query("ws_1", null, null, null, null, "dog", null, null, null, 20, 0))).isEmpty();
        assertThat(store.list(new PostStore.Query("ws_1", null, null, null, "Finance%", null, null, null, null, 20, 0))).isEmpty();
        assertThat(store.list(new PostStore.Query("ws_1", null, null, null, null, null, "100%", null, null, 20, 0)))
                .extracting(Post::id).containsExactly("post_3");
        assertThat(store.list(new PostStore.Query("ws_1", null, null, null, null, null, "DOGS", null, null, 20, 0)))
                .extracting(Post::id).containsExactly("post_2", "post_1");
        assertThat(store.list(new PostStore.Query("ws_1", "usr_1", null, null, null, null, null, 100L, 300L, 20, 0)))
                .extracting(Post::id).containsExactly("post_1");
        PostStore.Query page = new PostStore.Query("ws_1", null, null, null, null, null, null, null, null, 2, 2);
        assertThat(store.list(page)).extracting(Post::id).containsExactly("post_1");
        assertThat(store.count(page)).isEqualTo(3);
    }

    @Test
    void should_delete_a_post_with_its_revisions_in_its_workspace_only() {
        create(post("post_d", "ws_1", "usr_1", "draft", "Gone", List.of(), List.of(), 10));

        assertThat(store.delete("ws_2", "post_d")).isFalse();
        assertThat(store.delete("ws_1", "post_d")).isTrue();
        assertThat(store.find("ws_1", "post_d")).isEmpty();
        assertThat(store.revisions("ws_1", "post_d")).isEmpty();
        assertThat(store.delete("ws_1", "post_d")).isFalse();
    }
}
