package io.aimp.gateway.content;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.auth.Role;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Printable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The content library's rules. Viewers (and every role above) read the workspace's posts; members change and
 * delete the posts they created; admins and owners any post of the workspace. Every change is a new revision.
 */
@Service
class ContentLibrary {

    static final int MAX_LIST_ITEMS = ContentExecutor.MAX_LIST_ITEMS;
    static final int MAX_METADATA_CHARS = 16_384;
    private static final Set<String> PATCH_FIELDS = Set.of("status", "categories", "tags", "metadata",
            "featured_image");

    private final PostStore store;
    private final FeaturedImages featured;
    private final Clock clock;

    ContentLibrary(PostStore store, FeaturedImages featured, Clock clock) {
        this.store = store;
        this.featured = featured;
        this.clock = clock;
    }

    record Page(List<Post> items, long total) {
    }

    Page list(Principal p, PostStore.Query q) {
        p.require(Permission.VIEW_STATUS);
        return new Page(store.list(q), store.count(q));
    }

    Post get(Principal p, String id) {
        p.require(Permission.VIEW_STATUS);
        return store.find(p.workspaceId(), id).orElseThrow(() -> notFound(id));
    }

    List<Revision> revisions(Principal p, String id) {
        get(p, id);
        return store.revisions(p.workspaceId(), id);
    }

    Revision revision(Principal p, String id, int number) {
        get(p, id);
        return store.revision(p.workspaceId(), id, number)
                .orElseThrow(() -> GatewayException.notFound("revision " + number + " of post " + Printable.of(id)));
    }

    /** Changes status, categories, tags, metadata or the featured image; the result is a new revision. */
    Post update(Principal p, String id, JsonNode body) {
        Post post = changeable(p, id);
        if (body == null || !body.isObject()) {
            throw GatewayException.invalidField("invalid_body", "body", "must be a JSON object");
        }
        for (String field : body.propertyNames()) {
            if (!PATCH_FIELDS.contains(field)) {
                throw GatewayException.invalidField("unknown_field", field,
                        "is not a field a PATCH may change (known: categories, featured_image, metadata, status, tags)");
            }
        }
        String status = post.status();
        if (body.has("status")) {
            JsonNode s = body.get("status");
            if (!s.isString() || !ContentSettings.STATUSES.contains(s.asString())) {
                throw GatewayException.invalidField("invalid_parameter", "status",
                        "must be one of " + String.join(", ", ContentSettings.STATUSES));
            }
            status = s.asString();
        }
        List<String> categories = body.has("categories") ? names(body.get("categories"), "categories") : post.categories();
        List<String> tags = body.has("tags") ? names(body.get("tags"), "tags") : post.tags();
        JsonNode metadata = post.metadata();
        if (body.has("metadata")) {
            metadata = body.get("metadata");
            if (!metadata.isObject() || metadata.toString().length() > MAX_METADATA_CHARS) {
                throw GatewayException.invalidField("invalid_parameter", "metadata",
                        "must be a JSON object of at most " + MAX_METADATA_CHARS + " characters");
            }
        }
        String featuredImage = body.has("featured_image")
                ? featured.existing(p, body.get("featured_image"), "featured_image") : post.featuredImage();
        long now = clock.millis();
        Post next = new Post(post.id(), post.workspaceId(), post.userId(), post.postType(), status, post.title(),
                post.contentHtml(), post.excerpt(), tags, categories, post.seoDescription(), metadata, featuredImage,
                post.revision() + 1, post.createdAt(), now);
        return save(p, next, "update");
    }

    /** Makes revision {@code number}'s content the latest revision again (a new revision). */
    Post restore(Principal p, String id, int number) {
        Post post = changeable(p, id);
        Post old = store.revision(p.workspaceId(), id, number)
                .orElseThrow(() -> GatewayException.notFound("revision " + number + " of post " + Printable.of(id)))
                .post();
        Post next = new Post(post.id(), post.workspaceId(), post.userId(), old.postType(), old.status(), old.title(),
                old.contentHtml(), old.excerpt(), old.tags(), old.categories(), old.seoDescription(), old.metadata(),
                old.featuredImage(), post.revision() + 1, post.createdAt(), clock.millis());
        return save(p, next, "restore:" + number);
    }

    void delete(Principal p, String id) {
        changeable(p, id);
        if (!store.delete(p.workspaceId(), id)) {
            throw notFound(id);
        }
    }

    private Post save(Principal p, Post next, String operation) {
        Revision r = new Revision(next, next.revision(), null, null, null, operation, p.userId(), next.updatedAt());
        if (!store.append(r)) {
            throw GatewayException.of(io.aimp.gateway.common.ErrorCategory.INVALID_REQUEST, "post_changed",
                    "post " + next.id() + " changed while this request ran; read it and try again").status(409).build();
        }
        return next;
    }

    /** The post, when the caller may change it: members their own, admins any. */
    private Post changeable(Principal p, String id) {
        Post post = get(p, id);
        p.require(Permission.RUN_MODELS);
        if (!p.role().atLeast(Role.ADMIN) && !Objects.equals(post.userId(), p.userId())) {
            throw GatewayException.forbidden("permission_denied",
                    "members change only the posts they created; this needs the admin role");
        }
        return post;
    }

    private static List<String> names(JsonNode node, String field) {
        if (!node.isArray() || node.size() > MAX_LIST_ITEMS) {
            throw GatewayException.invalidField("invalid_parameter", field,
                    "must be a list of at most " + MAX_LIST_ITEMS + " names");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            String v = n.isString() ? Html.plain(n.asString()) : "";
            if (v.isEmpty() || v.length() > ContentExecutor.MAX_NAME_CHARS) {
                throw GatewayException.invalidField("invalid_parameter", field + "[" + i + "]",
                        "must be a name of 1 to " + ContentExecutor.MAX_NAME_CHARS + " characters");
            }
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static GatewayException notFound(String id) {
        return GatewayException.notFound("post " + Printable.of(id));
    }
}
