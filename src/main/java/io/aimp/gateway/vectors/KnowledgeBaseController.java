package io.aimp.gateway.vectors;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.Times;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** Indexed data of the caller's workspace, by model, collection and scope. */
@RestController
class KnowledgeBaseController {

    private final VectorService vectors;
    private final ObjectMapper json;

    KnowledgeBaseController(VectorService vectors, ObjectMapper json) {
        this.vectors = vectors;
        this.json = json;
    }

    @GetMapping("/api/knowledge-bases")
    Map<String, Object> list(Principal principal) {
        return Map.of("object", "list", "data", vectors.knowledgeBases(principal).stream().map(this::view).toList());
    }

    @GetMapping("/api/knowledge-bases/{model}/{collection}/{scope}/items")
    Map<String, Object> items(Principal principal, @PathVariable String model, @PathVariable String collection,
                              @PathVariable String scope, @RequestParam(defaultValue = "50") int limit,
                              @RequestParam(defaultValue = "0") int offset) {
        NamespaceInfo kb = vectors.knowledgeBase(principal, model, collection, scope);
        List<VectorItem> items = vectors.items(principal, model, collection, scope, limit, offset);
        return Map.of("object", "list", "knowledge_base", view(kb), "data", items.stream().map(this::view).toList(),
                "limit", limit, "offset", offset, "total", kb.itemCount());
    }

    @DeleteMapping("/api/knowledge-bases/{model}/{collection}/{scope}")
    Map<String, Object> delete(Principal principal, @PathVariable String model, @PathVariable String collection,
                               @PathVariable String scope) {
        Map<String, Object> v = view(vectors.drop(principal, model, collection, scope));
        v.put("deleted", true);
        return v;
    }

    private Map<String, Object> view(NamespaceInfo kb) {
        return VectorService.view(kb);
    }

    private Map<String, Object> view(VectorItem item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", item.id());
        Object content = parse(item.content());
        if (content instanceof Map<?, ?> c) {
            c.forEach((k, v) -> m.put(String.valueOf(k), v));
        }
        Object meta = parse(item.metadata());
        m.put("metadata", meta == null ? Map.of() : meta);
        m.put("created_at", Times.instant(item.createdAt()));
        m.put("updated_at", Times.instant(item.updatedAt()));
        return m;
    }

    private Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, Object.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
