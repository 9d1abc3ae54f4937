package io.aimp.gateway.mcp;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.vectors.VectorService;
import io.aimp.gateway.common.Printable;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Read-only resources: the workspace's knowledge bases ({@code aimp://knowledge-bases}) and the contract of
 * each model the caller may use ({@code aimp://models/<slug>}, as the marketplace renders it).
 */
@Component
class McpResources {

    static final String KNOWLEDGE_BASES = "aimp://knowledge-bases";
    static final String MODELS = "aimp://models/";
    private static final String JSON = "application/json";

    private final CatalogService catalog;
    private final VectorService vectors;
    private final ObjectMapper json;

    McpResources(CatalogService catalog, VectorService vectors, ObjectMapper json) {
        this.catalog = catalog;
        this.vectors = vectors;
        this.json = json;
    }

    ArrayNode list(Principal principal) {
        ArrayNode list = JsonRpc.NODES.arrayNode();
        list.add(describe(KNOWLEDGE_BASES, "knowledge-bases", "Knowledge bases",
                "The indexed data of this workspace, by model, collection and scope."));
        for (PublishedModel m : models(principal)) {
            list.add(describe(MODELS + m.slug(), m.slug(), m.name() + " contract",
                    "Modes with their input, params and output schemas, and the pricing of the current release."));
        }
        return list;
    }

    ArrayNode templates() {
        ArrayNode list = JsonRpc.NODES.arrayNode();
        ObjectNode t = list.addObject();
        t.put("uriTemplate", MODELS + "{slug}");
        t.put("name", "model-contract");
        t.put("title", "Model contract");
        t.put("description", "The contract and pricing of a published model, by slug.");
        t.put("mimeType", JSON);
        return list;
    }

    /** The contents of one resource; a URI the caller cannot see is not found, the same as one that does not exist. */
    ArrayNode read(Principal principal, JsonNode params) {
        JsonNode uri = params.path("uri");
        if (!uri.isString()) {
            throw new JsonRpc.Failure(JsonRpc.INVALID_PARAMS, "resources/read needs params.uri");
        }
        String u = uri.asString();
        Object value;
        if (u.equals(KNOWLEDGE_BASES)) {
            value = vectors.knowledgeBases(principal).stream().map(VectorService::view).toList();
        } else if (u.startsWith(MODELS)) {
            String slug = u.substring(MODELS.length());
            value = models(principal).stream().filter(m -> m.slug().equals(slug)).findFirst()
                    .map(catalog::marketplaceDetail)
                    .orElseThrow(() -> notFound(u));
        } else {
            throw notFound(u);
        }
        ArrayNode contents = JsonRpc.NODES.arrayNode();
        contents.addObject().put("uri", u).put("mimeType", JSON).put("text", json.writeValueAsString(value));
        return contents;
    }

    private List<PublishedModel> models(Principal principal) {
        return catalog.availableTo(principal, null, null);
    }

    private static ObjectNode describe(String uri, String name, String title, String description) {
        ObjectNode r = JsonRpc.NODES.objectNode();
        r.put("uri", uri);
        r.put("name", name);
        r.put("title", title);
        r.put("description", description);
        r.put("mimeType", JSON);
        return r;
    }

    private static JsonRpc.Failure notFound(String uri) {
        return new JsonRpc.Failure(JsonRpc.RESOURCE_NOT_FOUND, "Resource not found: " + Printable.of(uri));
    }
}
