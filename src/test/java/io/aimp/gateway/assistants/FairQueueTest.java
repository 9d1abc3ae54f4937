package io.aimp.gateway.assistants;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sandbox's sharing rules: the last free worker is kept for a workspace with nothing running, and a
 * free worker goes to the waiting workspace with the fewest jobs running.
 */
class FairQueueTest {

    private final FairQueue<String> queue = new FairQueue<>(3);

    @Test
    void should_let_a_workspace_alone_use_every_worker_but_the_last_in_arrival_order() throws InterruptedException {
        for (int i = 1; i <= 3; i++) {
            queue.add("a", "a" + i);
        }

        assertThat(queue.take().job()).isEqualTo("a1");
        assertThat(queue.take().job()).isEqualTo("a2");
        assertThat(queue.running("a")).isEqualTo(2);
        assertThat(queue.poll()).as("a3 on the last free worker").isNull();
    }

    @Test
    void should_let_a_single_worker_serve_one_workspace_after_another() throws InterruptedException {
        FairQueue<String> one = new FairQueue<>(1);
        one.add("a", "a1");
        one.add("a", "a2");

        FairQueue.Taken<String> first = one.take();
        one.done(first);

        assertThat(one.take().job()).isEqualTo("a2");
    }

    @Test
    void should_keep_the_last_worker_for_a_third_workspace_while_two_busy_ones_queue_more() throws InterruptedException {
        // given: a and b, eight jobs each, hold two of three workers
        for (int i = 1; i <= 8; i++) {
            queue.add("a", "a" + i);
            queue.add("b", "b" + i);
        }
        assertThat(queue.take().job()).isEqualTo("a1");
        assertThat(queue.take().job()).isEqualTo("b1");
        assertThat(queue.poll()).as("neither busy workspace takes the last worker").isNull();

        // when: c asks for one job while every job of a and b is still running
        queue.add("c", "c1");

        // then: the last worker goes to c at once
        assertThat(queue.take().job()).isEqualTo("c1");
        assertThat(queue.running("a")).isEqualTo(1);
        assertThat(queue.running("b")).isEqualTo(1);
    }

    @Test
    void should_give_a_freed_worker_to_the_workspace_with_fewest_jobs_running() throws InterruptedException {
        // given: a holds two of three workers and queues three more; b holds the last
        for (int i = 1; i <= 5; i++) {
            queue.add("a", "a" + i);
        }
        FairQueue.Taken<String> first = queue.take();
        queue.take();
        queue.add("b", "b1");
        queue.add("b", "b2");
        assertThat(queue.take().job()).isEqualTo("b1");

        // when: one of a's jobs ends
        queue.done(first);

        // then: the freed worker is the last free one, so neither a nor b (both running) may take it
        assertThat(queue.poll()).isNull();
        queue.add("c", "c1");
        assertThat(queue.take().job()).isEqualTo("c1");
        assertThat(queue.running("a")).isEqualTo(1);
        assertThat(queue.running("b")).isEqualTo(1);
    }

    @Test
    void should_serve_the_workspace_with_fewest_jobs_running_first() throws InterruptedException {
        FairQueue<String> five = new FairQueue<>(5);
        five.add("a", "a1");
        five.add("a", "a2");
        five.add("a", "a3");
        assertThat(five.take().job()).isEqualTo("a1");
        assertThat(five.take().job()).isEqualTo("a2");
        five.add("b", "b1");
        five.add("b", "b2");

        assertThat(five.take().job()).isEqualTo("b1");
        assertThat(five.take().job()).isEqualTo("b2");
        assertThat(five.poll()).as("a3 would take the last free worker").isNull();
    }

    @Test
    void should_break_ties_by_the_longest_waiting_job() throws InterruptedException {
        FairQueue<String> five = new FairQueue<>(5);
        five.add("a", "a1");
        five.add("b", "b1");
        five.add("c", "c1");
        five.add("b", "b2");

        assertThat(five.take().job()).isEqualTo("a1");
        assertThat(five.take().job()).isEqualTo("b1");
        assertThat(five.take().job()).isEqualTo("c1");
        assertThat(five.take().job()).isEqualTo("b2");
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
