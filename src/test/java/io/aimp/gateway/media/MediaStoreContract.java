package io.aimp.gateway.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aimp.gateway.common.Ids;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link MediaStore} must do: state moves only from the expected state, usage moves exactly once. */
abstract class MediaStoreContract extends StoreContract {

    private static final long QUOTA = 1000;
    private MediaStore store;

    @Override
    protected void createStores(Database database) {
        store = new JdbcMediaStore(database);
    }

    private String workspace() {
        String id = Ids.newId("ws");
        database().jdbc().sql("insert into workspaces (id, name, created_at) values (?, ?, ?)")
                .params(id, "test", System.currentTimeMillis()).update();
        return id;
    }

    private static Upload upload(String ws, long size, long expiresAt) {
        String id = Ids.newId("studio_upload");
        return new Upload(id, ws, null, null, "a.png", "image/png", MediaKind.IMAGE, size, UploadState.INITIATED,
                "media/" + ws + "/" + id, null, null, expiresAt, 1);
    }

    private static MediaItem media(Upload u) {
        return new MediaItem(Ids.newId("media"), u.workspaceId(), u.id(), u.filename(), u.contentType(), u.kind(),
                u.sizeBytes(), "ab".repeat(32), 2, 3, u.blobKey(), 5);
    }

    @Test
    void should_reserve_quota_at_initiate_and_refuse_past_it() {
        String ws = workspace();

        assertThat(store.initiate(upload(ws, 600, 100), QUOTA)).isTrue();
        assertThat(store.initiate(upload(ws, 401, 100), QUOTA)).isFalse();
        assertThat(store.initiate(upload(ws, 400, 100), QUOTA)).isTrue();

        assertThat(store.usage(ws)).isEqualTo(new MediaStore.Usage(0, 1000));
    }

    @Test
    void should_move_through_the_lifecycle_and_turn_the_reservation_into_usage() {
        String ws = workspace();
        Upload u = upload(ws, 300, 100);
        store.initiate(u, QUOTA);

        assertThat(store.move(u.id(), UploadState.INITIATED, UploadState.UPLOADING, 2)).isTrue();
        assertThat(store.received(u.id(), "ab".repeat(32), 3)).isTrue();
        MediaItem m = media(u);
        assertThat(store.complete(u.id(), m, 4)).isTrue();

        assertThat(store.upload(u.id()).orElseThrow().state()).isEqualTo(UploadState.COMPLETED);
        assertThat(store.upload(u.id()).orElseThrow().mediaId()).isEqualTo(m.id());
        assertThat(store.media(ws, m.id())).contains(m);
        assertThat(store.usage(ws)).isEqualTo(new MediaStore.Usage(300, 0));
        assertThat(store.complete(u.id(), media(u), 5)).isFalse();

        assertThat(store.delete(ws, m.id())).contains(m);
        assertThat(store.usage(ws)).isEqualTo(new MediaStore.Usage(0, 0));
        assertThat(store.delete(ws, m.id())).isEmpty();
    }

    @Test
    void should_let_exactly_one_of_many_racing_moves_win() throws Exception {
        String ws = workspace();
        Upload u = upload(ws, 10, 100);
        store.initiate(u, QUOTA);
        List<Future<Boolean>> results = new ArrayList<>();

        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> store.move(u.id(), UploadState.INITIATED, UploadState.UPLOADING, 2)));
            }
        }

        long winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get() ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
    }

    @Test
    void should_release_the_reservation_once_when_an_upload_fails_or_expires() {
        String ws = workspace();
        Upload failed = upload(ws, 200, 100);
        Upload expired = upload(ws, 300, 100);
        store.initiate(failed, QUOTA);
        store.initiate(expired, QUOTA);
        store.move(failed.id(), UploadState.INITIATED, UploadState.UPLOADING, 2);

        assertThat(store.move(failed.id(), UploadState.UPLOADING, UploadState.FAILED, 3)).isTrue();
        assertThat(store.move(expired.id(), UploadState.INITIATED, UploadState.EXPIRED, 3)).isTrue();
        assertThat(store.move(expired.id(), UploadState.INITIATED, UploadState.EXPIRED, 3)).isFalse();

        assertThat(store.usage(ws)).isEqualTo(new MediaStore.Usage(0, 0));
    }

    @Test
    void should_refuse_moves_the_lifecycle_does_not_allow() {
        String ws = workspace();
        Upload u = upload(ws, 10, 100);
        store.initiate(u, QUOTA);

        assertThatThrownBy(() -> store.move(u.id(), UploadState.INITIATED, UploadState.COMPLETED, 2))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.move(u.id(), UploadState.COMPLETED, UploadState.EXPIRED, 2))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.upload(u.id()).orElseThrow().state()).isEqualTo(UploadState.INITIATED);
    }

    @Test
    void should_find_abandoned_uploads_but_not_live_ones() {
        String ws = workspace();
        Upload unusedExpired = upload(ws, 1, 1_000);
        Upload unusedLive = upload(ws, 1, 5_000);
        Upload receivedWithinGrace = upload(ws, 1, 1_000);
        for (Upload u : List.of(unusedExpired, unusedLive, receivedWithinGrace)) {
            store.initiate(u, QUOTA);
        }
        store.move(receivedWithinGrace.id(), UploadState.INITIATED, UploadState.UPLOADING, 2);

        List<String> found = store.abandoned(2_000, 10_000, 1000).stream().map(Upload::id).toList();

        assertThat(found).contains(unusedExpired.id()).doesNotContain(unusedLive.id(), receivedWithinGrace.id());
        assertThat(store.abandoned(20_000, 10_000, 1000).stream().map(Upload::id)).contains(receivedWithinGrace.id());
    }

    @Test
    void should_keep_media_inside_their_workspace() {
        String ws = workspace();
        String other = workspace();
        Upload u = upload(ws, 10, 100);
        store.initiate(u, QUOTA);
        store.move(u.id(), UploadState.INITIATED, UploadState.UPLOADING, 2);
        store.received(u.id(), "ab".repeat(32), 3);
        MediaItem m = media(u);
        store.complete(u.id(), m, 4);

        assertThat(store.media(other, m.id())).isEmpty();
        assertThat(store.list(other, null, 10, 0)).isEmpty();
        assertThat(store.delete(other, m.id())).isEmpty();
        assertThat(store.list(ws, MediaKind.IMAGE, 10, 0)).containsExactly(m);
        assertThat(store.count(ws, MediaKind.AUDIO)).isZero();
    }
}
