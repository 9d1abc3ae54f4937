package io.aimp.gateway.assistants;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs of many workspaces waiting for a fixed number of workers. A free worker takes the oldest job of
 * the waiting workspace that has the fewest jobs running. So with {@code n} workers and {@code k}
 * workspaces running or waiting, no workspace is given more than its share, {@code max(1, n / k)}, while
 * another workspace waits: a workspace alone may use every worker, and a newcomer waits only until the
 * first running job ends (jobs are not preempted), ahead of everything the busy workspace still queues.
 *
 * @param <T> the job
 */
final class FairQueue<T> {

    private record Entry<T>(long seq, T job) {
    }

    /** A job given to a worker; the worker calls {@link #done} with it when the job has ended. */
    record Taken<T>(String workspace, T job) {
    }

    private final Map<String, Deque<Entry<T>>> waiting = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private long seq;

    synchronized void add(String workspace, T job) {
        waiting.computeIfAbsent(workspace, w -> new ArrayDeque<>()).addLast(new Entry<>(seq++, job));
        notifyAll();
    }

    /** Takes back a job no worker has taken yet; false when a worker already has it. */
    synchronized boolean remove(String workspace, T job) {
        Deque<Entry<T>> q = waiting.get(workspace);
        if (q == null || !q.removeIf(e -> e.job() == job)) {
            return false;
        }
        if (q.isEmpty()) {
            waiting.remove(workspace);
        }
        return true;
    }

    /** Blocks until a job waits, then hands out the one the rule above picks. */
    synchronized Taken<T> take() throws InterruptedException {
        while (waiting.isEmpty()) {
            wait();
        }
        String pick = null;
        for (Map.Entry<String, Deque<Entry<T>>> w : waiting.entrySet()) {
            if (pick == null || before(w.getKey(), w.getValue(), pick)) {
                pick = w.getKey();
            }
        }
        Deque<Entry<T>> q = waiting.get(pick);
        T job = q.pollFirst().job();
        if (q.isEmpty()) {
            waiting.remove(pick);
        }
        running.merge(pick, 1, Integer::sum);
        return new Taken<>(pick, job);
    }

    synchronized void done(Taken<T> taken) {
        running.computeIfPresent(taken.workspace(), (w, n) -> n > 1 ? n - 1 : null);
    }

    /** Takes back every job no worker has taken yet (on shutdown). */
    synchronized List<T> clear() {
        List<T> out = new ArrayList<>();
        waiting.values().forEach(q -> q.forEach(e -> out.add(e.job())));
        waiting.clear();
        return out;
    }

    /** Jobs of {@code workspace} that a worker has and has not finished. */
    synchronized int running(String workspace) {
        return running.getOrDefault(workspace, 0);
    }

    private boolean before(String workspace, Deque<Entry<T>> queue, String other) {
        int mine = running.getOrDefault(workspace, 0);
        int theirs = running.getOrDefault(other, 0);
        return mine != theirs ? mine < theirs : queue.peekFirst().seq() < waiting.get(other).peekFirst().seq();
    }
}
