package io.aimp.gateway.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.aimp.gateway.storage.DataSources;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.StorageProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** The contract every {@link JobStore} keeps, on SQLite and on PostgreSQL. */
abstract class JobStoreContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    HikariDataSource ds;
    JobStore store;

    abstract StorageProperties storage() throws Exception;

    @BeforeEach
    void open() throws Exception {
        StorageProperties props = storage();
        ds = DataSources.create(props);
        DataSources.migrate(ds, props.dialect());
        Database db = new Database(ds, props.dialect());
        db.jdbc().sql("insert into workspaces (id, name, created_at) values ('ws_1', 'one', 0)").update();
        store = new JdbcJobStore(db, JSON);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private JobRecord job(String id, int items) {
        JobRecord job = record(id, items);
        assertThat(store.insert(job, inputs(items), 100)).isTrue();
        return job;
    }

    private static JobRecord record(String id, int items) {
        return new JobRecord(id, "ws_1", "mdl_1", "m", "execute", JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), JobStatus.RUNNING, items, "api_key", "usr_1", "key_1", "aimp_k",
                "owner", "req_1", 1, 1, null);
    }

    private static List<JsonNode> inputs(int items) {
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            inputs.add(JSON.readTree("{\"text\":\"item " + i + "\"}"));
        }
        return inputs;
    }

    @Test
    void should_list_a_workspaces_jobs_newest_first_by_user_and_state() {
        JobRecord older = record("job_a", 1);
        JobRecord newer = new JobRecord("job_b", "ws_1", "mdl_1", "m", "execute", JsonNodeFactory.instance.objectNode(),
                JsonNodeFactory.instance.objectNode(), JobStatus.RUNNING, 1, "api_key", "usr_2", "key_2", "aimp_k",
                "member", "req_2", 5, 5, null);
        assertThat(store.insert(older, inputs(1), 10)).isTrue();
        assertThat(store.insert(newer, inputs(1), 10)).isTrue();
        store.claim(5, 10, 100);
        store.finish("job_a", 0, ItemStatus.FAILED, null, null, null, 20);
        assertThat(store.completeIfDone("job_a", 21)).isTrue();

        assertThat(store.list("ws_1", null, null, 10, 0)).extracting(JobRecord::id).containsExactly("job_b", "job_a");
        assertThat(store.list("ws_1", null, null, 1, 1)).extracting(JobRecord::id).containsExactly("job_a");
        assertThat(store.list("ws_1", "usr_2", null, 10, 0)).extracting(JobRecord::id).containsExactly("job_b");
        assertThat(store.list("ws_1", null, JobStatus.FAILED, 10, 0)).extracting(JobRecord::id).containsExactly("job_a");
        assertThat(store.list("ws_other", null, null, 10, 0)).isEmpty();
    }

    @Test
    void should_create_exactly_the_cap_of_running_jobs_when_thirty_threads_insert_at_once() throws Exception {
        // given a workspace with one running job and a cap of 5
        job("job_0", 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        // when 30 threads insert at the same moment
        try (ExecutorService pool = Executors.newFixedThreadPool(30)) {
            for (int t = 0; t < 30; t++) {
                String id = "job_race_" + t;
                results.add(pool.submit(() -> {
                    go.await();
                    return store.insert(record(id, 2), inputs(2), 5);
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<Boolean> f : results) {
                created += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            // then exactly four more were created, and the refused ones wrote nothing
            assertThat(created).isEqualTo(4);
        }
        assertThat(store.countRunning("ws_1")).isEqualTo(5);
        assertThat(store.claim(100, 10, 1_000)).hasSize(1 + 4 * 2);
    }

    @Test
    void should_reopen_a_finished_job_only_below_the_cap() {
        job("job_1", 1);
        store.claim(5, 10, 100);
        store.finish("job_1", 0, ItemStatus.FAILED, null, null, null, 20);
        store.completeIfDone("job_1", 21);
        job("job_2", 1);

        assertThat(store.reopen("ws_1", "job_1", JobStatus.FAILED, 30, 1)).isEqualTo(JobStore.Reopen.AT_CAP);
        assertThat(store.insert(record("job_3", 1), inputs(1), 1)).isFalse();
        assertThat(store.reopen("ws_1", "job_1", JobStatus.CANCELED, 30, 5)).isEqualTo(JobStore.Reopen.CHANGED);
        assertThat(store.reopen("ws_1", "job_1", JobStatus.FAILED, 30, 2)).isEqualTo(JobStore.Reopen.REOPENED);
        assertThat(store.findById("job_1").orElseThrow().completedAt()).isNull();
        assertThat(store.countRunning("ws_1")).isEqualTo(2);
        assertThat(store.findById("job_3")).isEmpty();
    }

    @Test
    void should_count_the_queued_items_for_the_queue_depth_metric() {
        assertThat(store.countQueuedItems()).isZero();
        job("job_1", 5);
        assertThat(store.countQueuedItems()).isEqualTo(5);
        assertThat(store.claim(2, 10, 1_000)).hasSize(2);
        assertThat(store.countQueuedItems()).isEqualTo(3);
    }

    @Test
    void should_claim_each_queued_item_once_even_when_claimers_race() throws Exception {
        job("job_1", 40);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        List<Integer> all = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    List<JobItem> got;
                    while (!(got = store.claim(3, 10, 1_000)).isEmpty()) {
                        got.forEach(i -> {
                            seen.add(i.index());
                            all.add(i.index());
                        });
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(all).hasSize(40);
        assertThat(seen).hasSize(40);
    }

    @Test
    void should_claim_again_an_item_whose_lease_ended_and_count_the_attempt() {
        job("job_1", 1);
        JobItem first = store.claim(5, 10, 100).getFirst();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(store.claim(5, 50, 150)).isEmpty();

        JobItem again = store.claim(5, 101, 200).getFirst();

        assertThat(again.index()).isEqualTo(first.index());
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.idempotencyKey()).isEqualTo(first.idempotencyKey()).isEqualTo("job:job_1:0");
    }

    @Test
    void should_finish_only_a_running_item_and_complete_the_job_when_none_is_open() {
        job("job_1", 2);
        List<JobItem> claimed = store.claim(5, 10, 100);
        assertThat(store.finish("job_1", 0, ItemStatus.SUCCEEDED, "run_a", JSON.readTree("{\"text\":\"ok\"}"), null, 20)).isTrue();
        assertThat(store.finish("job_1", 0, ItemStatus.FAILED, "run_b", null, null, 21)).isFalse();
        assertThat(store.completeIfDone("job_1", 22)).isFalse();

        store.finish("job_1", 1, ItemStatus.FAILED, "run_c", null, JSON.readTree("{\"code\":\"x\"}"), 23);

        assertThat(claimed).hasSize(2);
        assertThat(store.completeIfDone("job_1", 24)).isTrue();
        assertThat(store.findById("job_1").orElseThrow().status()).isEqualTo(JobStatus.COMPLETED_WITH_ERRORS);
        assertThat(store.items("job_1", ItemStatus.SUCCEEDED, 10, 0).getFirst().output().path("text").asString()).isEqualTo("ok");
        assertThat(store.counts("job_1")).containsEntry(ItemStatus.SUCCEEDED, 1).containsEntry(ItemStatus.FAILED, 1);
    }

    @Test
    void should_forget_the_input_of_an_item_finished_without_keeping_it_and_keep_the_others() {
        job("job_1", 2);
        store.claim(5, 10, 100);

        store.finish("job_1", 0, ItemStatus.SUCCEEDED, "run_a", JSON.readTree("{\"text\":\"ok\"}"), null, false, 20);
        store.finish("job_1", 1, ItemStatus.FAILED, "run_b", null, JSON.readTree("{\"code\":\"x\"}"), 20);

        JobItem forgotten = store.items("job_1", ItemStatus.SUCCEEDED, 10, 0).getFirst();
        assertThat(forgotten.input() == null || forgotten.input().isNull()).as("input of the finished item").isTrue();
        assertThat(forgotten.output().path("text").asString()).isEqualTo("ok");
        assertThat(store.items("job_1", ItemStatus.FAILED, 10, 0).getFirst().input().isObject()).isTrue();
    }

    @Test
    void should_resume_failed_items_under_a_new_key_and_leave_succeeded_ones() {
        job("job_1", 2);
        store.claim(5, 10, 100);
        store.finish("job_1", 0, ItemStatus.SUCCEEDED, "run_a", null, null, 20);
        store.finish("job_1", 1, ItemStatus.FAILED, "run_b", null, null, 20);
        store.completeIfDone("job_1", 21);

        assertThat(store.reopen("ws_1", "job_1", JobStatus.COMPLETED_WITH_ERRORS, 30, 5)).isEqualTo(JobStore.Reopen.REOPENED);
        assertThat(store.moveItems("job_1", ItemStatus.FAILED, ItemStatus.QUEUED, 30)).isEqualTo(1);

        JobItem retried = store.claim(5, 40, 100).getFirst();
        assertThat(retried.index()).isEqualTo(1);
        assertThat(retried.idempotencyKey()).isEqualTo("job:job_1:1:retry1");
    }

    @Test
    void should_not_hand_out_items_of_a_canceled_job_and_should_stop_queued_items() {
        job("job_1", 3);
        job("job_2", 3);
        assertThat(store.move("job_1", JobStatus.RUNNING, JobStatus.CANCELED, 5)).isTrue();
        assertThat(store.move("job_1", JobStatus.RUNNING, JobStatus.CANCELED, 5)).isFalse();
        assertThat(store.failQueued("job_2", JSON.readTree("{\"code\":\"insufficient_funds\"}"), 6)).isEqualTo(3);

        assertThat(store.claim(10, 10, 100)).isEmpty();
        assertThat(store.countRunning("ws_1")).isEqualTo(1);
    }

    @Test
    void should_requeue_items_left_running_past_their_lease_and_delay_requeued_items() {
        job("job_1", 2);
        store.claim(5, 10, 100);
        assertThat(store.requeueAbandoned(50, 60)).isZero();
        assertThat(store.requeueAbandoned(101, 60)).isEqualTo(2);
        store.claim(5, 70, 1000);
        assertThat(store.requeue("job_1", 0, 500, 80)).isTrue();

        assertThat(store.claim(5, 400, 2000)).isEmpty();
        assertThat(store.claim(5, 500, 2000)).extracting(JobItem::index).containsExactly(0);
    }
}
