package io.aimp.gateway.assistants;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The sandbox's sharing rule: a free worker goes to the waiting workspace with the fewest jobs running. */
class FairQueueTest {

    private final FairQueue<String> queue = new FairQueue<>();

    @Test
    void should_let_a_workspace_alone_use_every_worker_in_arrival_order() throws InterruptedException {
        queue.add("a", "a1");
        queue.add("a", "a2");

        assertThat(queue.take().job()).isEqualTo("a1");
        assertThat(queue.take().job()).isEqualTo("a2");
        assertThat(queue.running("a")).isEqualTo(2);
    }

    @Test
    void should_give_the_next_worker_to_a_newcomer_ahead_of_the_busy_workspaces_queue() throws InterruptedException {
        // given: a holds both workers and queues three more
        for (int i = 1; i <= 5; i++) {
            queue.add("a", "a" + i);
        }
        FairQueue.Taken<String> first = queue.take();
        queue.take();
        queue.add("b", "b1");

        // when: one of a's jobs ends
        queue.done(first);

        // then: b is served before a's queue, then the two alternate by jobs running
        assertThat(queue.take().job()).isEqualTo("b1");
        assertThat(queue.take().job()).isEqualTo("a3");
        assertThat(queue.running("a")).isEqualTo(2);
        assertThat(queue.running("b")).isEqualTo(1);
    }

    @Test
    void should_break_ties_by_the_longest_waiting_job() throws InterruptedException {
        queue.add("a", "a1");
        queue.add("b", "b1");
        queue.add("c", "c1");
        queue.add("b", "b2");

        assertThat(queue.take().job()).isEqualTo("a1");
        assertThat(queue.take().job()).isEqualTo("b1");
        assertThat(queue.take().job()).isEqualTo("c1");
        assertThat(queue.take().job()).isEqualTo("b2");
    }

    @Test
    void should_take_back_a_job_no_worker_has_taken() throws InterruptedException {
        queue.add("a", "a1");
        queue.add("a", "a2");
        assertThat(queue.take().job()).isEqualTo("a1");

        assertThat(queue.remove("a", "a1")).as("already taken").isFalse();
        assertThat(queue.remove("a", "a2")).isTrue();
        assertThat(queue.clear()).isEmpty();
    }
}
