package io.aimp.gateway.support;

import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.chat.Retriever;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.runs.Execution;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A test {@link Retriever} standing in for the vector index: passages per (workspace, model, scope),
 * scored by the share of the query's words they contain. Records every search.
 */
public final class KeywordRetriever implements Retriever {

    public record Search(String workspaceId, String model, String scope, String query) {
    }

    private final Map<String, List<Passage>> passages = new ConcurrentHashMap<>();
    public final List<Search> searches = new CopyOnWriteArrayList<>();

    /** Adds a passage to the knowledge base {@code model}/{@code scope} of a workspace ({@code *}: every workspace). */
    public void add(String workspaceId, String model, String scope, String id, String source, String text) {
        passages.computeIfAbsent(workspaceId + "|" + model + "|" + scope, k -> new CopyOnWriteArrayList<>())
                .add(new Passage(id, text, 0, source, Map.of()));
    }

    @Override
    public List<Passage> search(Execution run, String model, String collection, String scope, String query, int topK,
                                double minScore) {
        Principal principal = run.principal();
        searches.add(new Search(principal.workspaceId(), model, scope, query));
        if (model.equals("missing-kb")) {
            throw GatewayException.notFound("knowledge base " + model);
        }
        List<Passage> candidates = new ArrayList<>(passages.getOrDefault(principal.workspaceId() + "|" + model + "|" + scope, List.of()));
        candidates.addAll(passages.getOrDefault("*|" + model + "|" + scope, List.of()));
        Set<String> words = words(query);
        List<Passage> scored = new ArrayList<>();
        for (Passage p : candidates) {
            Set<String> pw = words(p.text());
            double hits = words.stream().filter(pw::contains).count();
            double score = words.isEmpty() ? 0 : hits / words.size();
            if (score >= minScore && score > 0) {
                scored.add(new Passage(p.id(), p.text(), score, p.source(), p.metadata()));
            }
        }
        scored.sort(Comparator.comparingDouble(Passage::score).reversed());
        return scored.subList(0, Math.min(topK, scored.size()));
    }

    private static Set<String> words(String s) {
        return java.util.Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(w -> w.length() > 2).collect(Collectors.toSet());
    }
}
