package io.aimp.gateway.images;

import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The cap on image generations in progress per workspace on this node
 * ({@code aimp.images.max-concurrent-per-workspace}): image calls are slow and expensive, so one workspace
 * cannot occupy every provider connection. A generation over the cap is refused at once, before any provider call.
 */
@Component
class ImageSlots {

    private final int max;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    @Autowired
    ImageSlots(ImagesProperties props) {
        this(props.maxConcurrentPerWorkspace());
    }

    ImageSlots(int max) {
        this.max = max;
    }

    /**
     * Takes a slot of {@code workspaceId}; close the returned slot when the generation ends.
     *
     * @throws GatewayException 429 {@code rate_limited} with {@code Retry-After} when every slot is taken
     */
    Slot acquire(String workspaceId) {
        AtomicInteger n = inProgress.computeIfAbsent(workspaceId, k -> new AtomicInteger());
        while (true) {
            int cur = n.get();
            if (cur >= max) {
                throw GatewayException.of(ErrorCategory.LIMIT, "rate_limited", "this workspace already has " + max
                                + " image generations in progress (aimp.images.max-concurrent-per-workspace); retry when one completes")
                        .with("limit", "concurrent_images").retryAfter(1).build();
            }
            if (n.compareAndSet(cur, cur + 1)) {
                return () -> n.decrementAndGet();
            }
        }
    }

    /** A slot in use; closing it twice frees it twice, so each caller closes it once (try-with-resources). */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }
}
