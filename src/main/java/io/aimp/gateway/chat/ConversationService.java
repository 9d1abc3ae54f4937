package io.aimp.gateway.chat;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Chatbot conversations: read, list and delete them, and enforce each chatbot's retention. Members see
 * the conversations they started; admins and owners see every one of the workspace. Another
 * workspace's conversation answers 404.
 */
@Service
public class ConversationService {

    private static final Logger log = LoggerFactory.getLogger(ConversationService.class);
    static final int MAX_LIST = 200;

    public record Page(List<Conversation> items, long total) {
    }

    private final ConversationStore store;
    private final CatalogService catalog;
    private final Clock clock;

    ConversationService(ConversationStore store, CatalogService catalog, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Page list(Principal principal, String chatbot, String endUser, int limit, int offset) {
        principal.require(Permission.VIEW_OWN_RUNS);
        if (limit < 1 || limit > MAX_LIST) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be between 1 and " + MAX_LIST);
        }
        if (offset < 0 || offset > 1_000_000) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must be between 0 and 1000000");
        }
        String modelId = null;
        if (chatbot != null) {
            modelId = catalog.find(chatbot).map(PublishedModel::id).orElse(chatbot);
        }
        ConversationStore.Query q = new ConversationStore.Query(principal.workspaceId(), ownerFilter(principal), modelId,
                endUser, limit, offset, principal.models());
        return new Page(store.list(q), store.count(q));
    }

    public Conversation get(Principal principal, String id) {
        principal.require(Permission.VIEW_OWN_RUNS);
        return visible(principal, id);
    }

    public List<ConversationMessage> messages(Principal principal, String id) {
        return store.messages(get(principal, id).id());
    }

    public void delete(Principal principal, String id) {
        principal.require(Permission.RUN_MODELS);
        Conversation c = visible(principal, id);
        store.delete(principal.workspaceId(), c.id());
    }

    /** Deletes, per chatbot with a retention, the conversations untouched for longer; returns how many. */
    public int enforceRetention() {
        int deleted = 0;
        long now = clock.millis();
        for (PublishedModel m : catalog.all()) {
            if (!m.kind().equals(ChatSettings.KIND)) {
                continue;
            }
            Integer days = m.settings(ChatSettings.class).retentionDays();
            if (days != null) {
                deleted += store.deleteIdleSince(m.id(), now - Duration.ofDays(days).toMillis());
            }
        }
        if (deleted > 0) {
            log.info("deleted {} conversations past their chatbot's retention", deleted);
        }
        return deleted;
    }

    private Conversation visible(Principal principal, String id) {
        String own = ownerFilter(principal);
        return store.find(principal.workspaceId(), id == null ? "" : id)
                .filter(c -> (own == null || own.equals(c.userId())) && principal.mayUseModel(c.modelSlug(), c.modelId()))
                .orElseThrow(() -> GatewayException.notFound("conversation " + Printable.of(id)));
    }

    private static String ownerFilter(Principal principal) {
        return principal.can(Permission.VIEW_ALL_LOGS) ? null : principal.userId();
    }
}
