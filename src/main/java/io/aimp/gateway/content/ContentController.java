package io.aimp.gateway.content;

import static io.aimp.gateway.common.QueryParams.intParam;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Times;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/content/posts}: the content library. Posts are written by content runs with {@code params.save}
 * ({@code POST /api/runs}); here they are read, changed (status, categories, tags, metadata), restored to an
 * earlier revision and deleted.
 */
@RestController
@RequestMapping("/api/content/posts")
class ContentController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final ContentLibrary library;

    ContentController(ContentLibrary library) {
        this.library = library;
    }

    @GetMapping
    Map<String, Object> list(Principal principal,
                             @RequestParam(required = false) String status,
                             @RequestParam(name = "post_type", required = false) String postType,
                             @RequestParam(required = false) String category,
                             @RequestParam(required = false) String tag,
                             @RequestParam(required = false) String q,
                             @RequestParam(name = "created_from", required = false) String createdFrom,
                             @RequestParam(name = "created_to", required = false) String createdTo,
                             @RequestParam(required = false) String limit,
                             @RequestParam(required = false) String offset) {
        int size = intParam("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        int from = intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        PostStore.Query query = new PostStore.Query(principal.workspaceId(), null, empty(status), empty(postType),
                empty(category), empty(tag), empty(q), instant("created_from", createdFrom),
                instant("created_to", createdTo), size, from);
        ContentLibrary.Page page = library.list(principal, query);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", page.items().stream().map(ContentController::view).toList());
        out.put("total", page.total());
        out.put("limit", size);
        out.put("offset", from);
        return out;
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Principal principal, @PathVariable String id) {
        return view(library.get(principal, id));
    }

    @PatchMapping("/{id}")
    Map<String, Object> patch(Principal principal, @PathVariable String id, @RequestBody(required = false) JsonNode body) {
        return view(library.update(principal, id, body));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Principal principal, @PathVariable String id) {
        library.delete(principal, id);
    }

    @GetMapping("/{id}/revisions")
    Map<String, Object> revisions(Principal principal, @PathVariable String id) {
        List<Map<String, Object>> data = library.revisions(principal, id).stream().map(r -> revision(r, false)).toList();
        return Map.of("object", "list", "data", data);
    }

    @GetMapping("/{id}/revisions/{n}")
    Map<String, Object> revision(Principal principal, @PathVariable String id, @PathVariable String n) {
        return revision(library.revision(principal, id, number(n)), true);
    }

    @PostMapping("/{id}/revisions/{n}/restore")
    Map<String, Object> restore(Principal principal, @PathVariable String id, @PathVariable String n) {
        return view(library.restore(principal, id, number(n)));
    }

    static Map<String, Object> view(Post p) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", p.id());
        v.put("object", "post");
        v.put("revision", p.revision());
        v.put("title", p.title());
        v.put("content_html", p.contentHtml());
        v.put("excerpt", p.excerpt());
        v.put("tags", p.tags());
        v.put("categories", p.categories());
        v.put("seo_description", p.seoDescription());
        v.put("post_type", p.postType());
        v.put("status", p.status());
        v.put("metadata", p.metadata());
        v.put("featured_image", p.featuredImage());
        v.put("user_id", p.userId());
        v.put("created_at", Times.instant(p.createdAt()));
        v.put("updated_at", Times.instant(p.updatedAt()));
        return v;
    }

    private static Map<String, Object> revision(Revision r, boolean content) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("object", "post_revision");
        v.put("post_id", r.post().id());
        v.put("revision", r.number());
        v.put("run_id", r.runId());
        v.put("model", r.model());
        v.put("release", r.release());
        v.put("operation", r.operation());
        v.put("user_id", r.userId());
        v.put("created_at", Times.instant(r.createdAt()));
        v.put("status", r.post().status());
        v.put("title", r.post().title());
        if (content) {
            v.put("content_html", r.post().contentHtml());
            v.put("excerpt", r.post().excerpt());
            v.put("tags", r.post().tags());
            v.put("categories", r.post().categories());
            v.put("seo_description", r.post().seoDescription());
            v.put("post_type", r.post().postType());
            v.put("metadata", r.post().metadata());
            v.put("featured_image", r.post().featuredImage());
        }
        return v;
    }

    private static int number(String n) {
        return intParam("revision", n, 0, 1, Integer.MAX_VALUE);
    }

    private static String empty(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Long instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw GatewayException.invalidField("invalid_parameter", name,
                    name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

}
