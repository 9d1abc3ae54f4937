package io.aimp.gateway.assistants;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Jobs of many workspaces waiting for a fixed number of workers. Two rules:
 * <ul>
 * <li>the last free worker is kept for a workspace with no job running: a workspace that already runs
 * a job takes a worker only while another one stays free. Jobs are not preempted; this is what lets a
 * newcomer start at once instead of waiting for a runaway job to end. A newcomer waits only when every
 * worker is taken, which needs the last one to have gone to another newcomer: with 3 workers, while two
 * callers that run one job at a time (of one workspace or of two) hold workers, a third workspace's job
 * starts at once;</li>
 * <li>among the workspaces allowed to take a worker, the one with the fewest jobs running goes first
 * (ties: the oldest waiting job). So with {@code n} workers and {@code k} workspaces running or waiting,
 * no workspace is given more than its share, {@code max(1, (n - 1) / k)}, while another waits.</li>
 * </ul>
 * A workspace alone uses {@code n - 1} workers ({@code 1} when {@code n} is 1).
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
    private final int workers;
    private int busy;
    private long seq;

    /** {@code workers}: how many workers call {@link #take} (at least 1). */
    FairQueue(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.workers = workers;
    }

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

    /** Blocks until a job the rules above allow waits, then hands it out; called by a free worker. */
    synchronized Taken<T> take() throws InterruptedException {
        Taken<T> taken;
        while ((taken = poll()) == null) {
            wait();
        }
        return taken;
    }

    /** Hands out the job the rules above pick, or null when none may start now. */
    synchronized Taken<T> poll() {
        String pick = pick();
        if (pick == null) {
            return null;
        }
        Deque<Entry<T>> q = waiting.get(pick);
        T job = q.pollFirst().job();
        if (q.isEmpty()) {
            waiting.remove(pick);
        }
        running.merge(pick, 1, Integer::sum);
        busy++;
        return new Taken<>(pick, job);
    }

    /** The workspace whose job the next free worker takes, or null when none may take one now. */
    private String pick() {
        boolean lastFree = workers - busy <= 1;
        String pick = null;
        for (Map.Entry<String, Deque<Entry<T>>> w : waiting.entrySet()) {
            if (lastFree && workers > 1 && running.containsKey(w.getKey())) {
                continue; // the last free worker is for a workspace with nothing running
            }
            if (pick == null || before(w.getKey(), w.getValue(), pick)) {
                pick = w.getKey();
            }
        }
        return pick;
    }

    synchronized void done(Taken<T> taken) {
        running.computeIfPresent(taken.workspace(), (w, n) -> n > 1 ? n - 1 : null);
        busy--;
        notifyAll(); // a workspace held back by the last-free rule may go now
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
