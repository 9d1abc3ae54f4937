package io.aimp.gateway.vectors;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.Mode;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.media.MediaKind;
import io.aimp.gateway.media.MediaService;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code embedding} kind. Modes (the catalog allows no others):
 * <ul>
 *   <li>{@code embed}: {@code texts} or {@code images} → {@code {vectors, dimensions}};</li>
 *   <li>{@code index}: the same items plus optional {@code ids} / {@code image_ids} and {@code metadata}
 *       (one object per item) → {@code {ids, indexed}}; an id indexed again is replaced;</li>
 *   <li>{@code search}: {@code query} (text) or {@code image}, with {@code top_k}, {@code min_score} and
 *       {@code filter} in params → {@code {results: [{id, score, text | media_ref + filename, metadata}]}};</li>
 *   <li>{@code delete}: {@code ids} / {@code image_ids} → {@code {deleted}}.</li>
 * </ul>
 * The namespace is the caller's workspace + the model + the model's collection + the run's scope.
 * Usage: {@code units} = items embedded (index, embed), 1 for a search, 0 for a delete; input tokens
 * as the embedder reports them.
 */
@Component
class EmbeddingExecutor implements RunExecutor {

    static final int DEFAULT_TOP_K = 10;
    static final int MAX_TOP_K = 1_000;
    static final int MAX_METADATA_CHARS = 8_192;

    private final VectorService vectors;
    private final ObjectProvider<MediaService> media;

    EmbeddingExecutor(VectorService vectors, ObjectProvider<MediaService> media) {
        this.vectors = vectors;
        this.media = media;
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDING;
    }

    /** index and delete change the knowledge base; embed and search only read it. */
    @Override
    public void refuseSideEffects(Mode mode, ObjectNode params) {
        if (mode.name().equals("index") || mode.name().equals("delete")) {
            throw RunExecutor.sideEffectRefused("$.mode", "mode " + mode.name() + " changes the knowledge base");
        }
    }

    @Override
    public ExecutionResult execute(Execution run) {
        EmbeddingSettings settings = EmbeddingSettings.of(run.model());
        return switch (run.mode().name()) {
            case "embed" -> embed(run, settings);
            case "index" -> index(run, settings);
            case "search" -> search(run, settings);
            case "delete" -> delete(run, settings);
            default -> throw GatewayException.of(ErrorCategory.CONFIGURATION, "unknown_operation",
                    "mode " + run.mode().name() + " is not an embedding operation").build();
        };
    }

    private ExecutionResult embed(Execution run, EmbeddingSettings settings) {
        Items items = items(run, settings);
        Embeddings.Embedded e = embedItems(run, settings, items);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode list = out.putArray("vectors");
        for (float[] v : e.vectors()) {
            ArrayNode a = list.addArray();
            for (float x : v) {
                a.add(x);
            }
        }
        out.put("dimensions", e.vectors().getFirst().length);
        return result(out, e, items.size());
    }

    private ExecutionResult index(Execution run, EmbeddingSettings settings) {
        Items items = items(run, settings);
        List<String> ids = ids(run.input(), items.size(), false);
        List<String> metadata = metadata(run.input(), items.size());
        Embeddings.Embedded e = embedItems(run, settings, items);
        List<VectorItem> batch = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            batch.add(new VectorItem(ids.get(i), e.vectors().get(i), items.content().get(i), metadata.get(i), 0, 0));
        }
        Namespace ns = VectorService.namespace(run.principal().workspaceId(), run.model(), run.scope());
        long started = System.nanoTime();
        VectorStore.Change change = vectors.upsert(ns, run.model().slug(), e.embedder(), batch);
        run.logStep("vector_index", ns.collection() + "/" + ns.scope(), "ok", (System.nanoTime() - started) / 1_000_000,
                "{\"items\":" + batch.size() + ",\"namespace_items\":" + change.namespace().itemCount() + "}");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode idList = out.putArray("ids");
        ids.forEach(idList::add);
        out.put("indexed", batch.size());
        return result(out, e, items.size());
    }

    private ExecutionResult search(Execution run, EmbeddingSettings settings) {
        JsonNode query = settings.images() ? run.input().get("image") : run.input().get("query");
        if (query == null || (settings.images() ? !query.isObject() : !query.isString())) {
            String field = settings.images() ? "image" : "query";
            throw GatewayException.invalidField("invalid_input", "$.input." + field,
                    "search needs input." + field + (settings.images() ? " ({media_ref, filename})" : " (a text)"));
        }
        int topK = Math.clamp(run.params().path("top_k").asInt(DEFAULT_TOP_K), 1, MAX_TOP_K);
        double minScore = run.params().has("min_score") ? run.params().get("min_score").asDouble() : -1.0;
        Map<String, String> filter = filter(run.params().get("filter"));
        Items item = settings.images() ? imageItems(run, List.of(query), "$.input.image") : textItems(List.of(query.stringValue()));
        Embeddings.Embedded e = embedItems(run, settings, item);
        Namespace ns = VectorService.namespace(run.principal().workspaceId(), run.model(), run.scope());
        long started = System.nanoTime();
        List<SearchHit> hits = vectors.search(ns, e.vectors().getFirst(), topK, minScore, filter, e.embedder());
        run.logStep("vector_search", ns.collection() + "/" + ns.scope(), "ok", (System.nanoTime() - started) / 1_000_000,
                "{\"top_k\":" + topK + ",\"results\":" + hits.size() + "}");
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode results = out.putArray("results");
        for (SearchHit h : hits) {
            ObjectNode r = results.addObject();
            r.put("id", h.id());
            r.put("score", Math.round(h.score() * 1_000_000) / 1_000_000.0);
            h.content().properties().forEach(p -> r.set(p.getKey(), p.getValue()));
            r.set("metadata", h.metadata());
        }
        return result(out, e, 1);
    }

    private ExecutionResult delete(Execution run, EmbeddingSettings settings) {
        List<String> ids = ids(run.input(), -1, true);
        Namespace ns = VectorService.namespace(run.principal().workspaceId(), run.model(), run.scope());
        int deleted = vectors.delete(ns, ids);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("deleted", deleted);
        return new ExecutionResult(out, new Usage(0, 0, 0, false), null, null);
    }

    private static ExecutionResult result(ObjectNode out, Embeddings.Embedded e, long units) {
        return new ExecutionResult(out, new Usage(e.usage().inputTokens(), 0, units, e.usage().estimated()), e.provider(),
                e.model());
    }

    /** Items of an index or embed call, with the content recorded for each. */
    private record Items(List<String> texts, List<byte[]> images, List<String> content) {
        int size() {
            return content.size();
        }
    }

    private Items items(Execution run, EmbeddingSettings settings) {
        String field = settings.images() ? "images" : "texts";
        JsonNode list = run.input().get(field);
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw GatewayException.invalidField("invalid_input", "$.input." + field,
                    "input." + field + " must list at least one " + (settings.images() ? "image" : "text"));
        }
        List<JsonNode> nodes = new ArrayList<>();
        list.forEach(nodes::add);
        if (settings.images()) {
            return imageItems(run, nodes, "$.input.images");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isString() || nodes.get(i).stringValue().isBlank()) {
                throw GatewayException.invalidField("invalid_input", "$.input.texts[" + i + "]", "must be a non-blank text");
            }
            texts.add(nodes.get(i).stringValue());
        }
        return textItems(texts);
    }

    private Items textItems(List<String> texts) {
        List<String> content = new ArrayList<>();
        for (String t : texts) {
            content.add(JsonNodeFactory.instance.objectNode().put("text", t).toString());
        }
        return new Items(texts, List.of(), content);
    }

    private Items imageItems(Execution run, List<JsonNode> nodes, String path) {
        List<byte[]> bytes = new ArrayList<>();
        List<String> content = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            String at = nodes.size() == 1 && !path.endsWith("s") ? path : path + "[" + i + "]";
            String ref = n.path("media_ref").asString(null);
            if (ref == null) {
                throw GatewayException.invalidField("invalid_input", at + ".media_ref", "media_ref is required");
            }
            bytes.add(image(run.principal(), ref));
            ObjectNode c = JsonNodeFactory.instance.objectNode().put("media_ref", ref);
            if (n.hasNonNull("filename")) {
                c.put("filename", n.get("filename").asString());
            }
            content.add(c.toString());
        }
        return new Items(List.of(), bytes, content);
    }

    /**
     * The bytes of the completed image upload {@code mediaRef} as the principal's workspace sees it: 404 when
     * the reference is unknown there (another workspace's media answers the same), 400 when it is not an image.
     */
    private byte[] image(Principal principal, String mediaRef) {
        MediaService.Content content = media.getObject().open(principal, mediaRef);
        try (InputStream in = content.stream()) {
            if (content.item().kind() != MediaKind.IMAGE) {
                throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "media_type_not_allowed",
                        "media " + mediaRef + " is not an image").build();
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + content.item().id(), e);
        }
    }

    private Embeddings.Embedded embedItems(Execution run, EmbeddingSettings settings, Items items) {
        Embeddings.Embedded e = Embeddings.inRun(run, items.texts(), items.images());
        int produced = e.vectors().getFirst().length;
        if (settings.dimensions() != null && settings.dimensions() != produced) {
            throw GatewayException.of(ErrorCategory.CONFIGURATION, "embedding_dimensions",
                    "the model declares " + settings.dimensions() + " dimensions but " + e.embedder() + " produced "
                            + produced).build();
        }
        return e;
    }

    /** Ids from {@code ids} or {@code image_ids}; generated when absent and not {@code required}. */
    private static List<String> ids(JsonNode input, int count, boolean required) {
        String field = input.has("image_ids") ? "image_ids" : "ids";
        JsonNode list = input.get(field);
        if (list == null || list.isNull()) {
            if (required) {
                throw GatewayException.invalidField("invalid_input", "$.input.ids", "list the ids to delete");
            }
            List<String> generated = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                generated.add(Ids.newId("item"));
            }
            return generated;
        }
        if (count >= 0 && list.size() != count) {
            throw GatewayException.invalidField("invalid_input", "$.input." + field,
                    field + " has " + list.size() + " ids for " + count + " items: give one id per item, in order");
        }
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode id = list.get(i);
            if (!id.isString() || id.stringValue().isEmpty() || id.stringValue().length() > 128) {
                throw GatewayException.invalidField("invalid_input", "$.input." + field + "[" + i + "]",
                        "must be an id of 1 to 128 characters");
            }
            if (!seen.add(id.stringValue())) {
                throw GatewayException.invalidField("invalid_input", "$.input." + field + "[" + i + "]",
                        "'" + Printable.of(id.stringValue()) + "' is listed twice");
            }
            ids.add(id.stringValue());
        }
        return ids;
    }

    /** Exact-match terms; a value that is not a string, number or boolean cannot match and is refused. */
    private static Map<String, String> filter(JsonNode filter) {
        if (filter == null || filter.isNull()) {
            return Map.of();
        }
        if (!filter.isObject()) {
            throw GatewayException.invalidField("invalid_params", "$.params.filter", "filter must be an object of metadata keys to values");
        }
        for (Map.Entry<String, JsonNode> e : filter.properties()) {
            if (MetadataTerms.term(e.getValue()) == null) {
                throw GatewayException.invalidField("invalid_params", "$.params.filter." + e.getKey(),
                        "filter values must be strings, numbers or booleans (exact match)");
            }
        }
        return MetadataTerms.of(filter);
    }

    private static List<String> metadata(JsonNode input, int count) {
        JsonNode list = input.get("metadata");
        List<String> out = new ArrayList<>(count);
        if (list == null || list.isNull()) {
            for (int i = 0; i < count; i++) {
                out.add(null);
            }
            return out;
        }
        if (!list.isArray() || list.size() != count) {
            throw GatewayException.invalidField("invalid_input", "$.input.metadata",
                    "metadata must list one object per item, in order (" + count + ")");
        }
        for (int i = 0; i < count; i++) {
            JsonNode m = list.get(i);
            if (!m.isObject()) {
                throw GatewayException.invalidField("invalid_input", "$.input.metadata[" + i + "]", "must be an object");
            }
            String text = m.toString();
            if (text.length() > MAX_METADATA_CHARS) {
                throw GatewayException.invalidField("invalid_input", "$.input.metadata[" + i + "]",
                        "must be at most " + MAX_METADATA_CHARS + " characters of JSON");
            }
            out.add(text);
        }
        return out;
    }
}
