package io.aimp.gateway.vectors;

import io.aimp.gateway.auth.FirstStart;
import io.aimp.gateway.catalog.CatalogService;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.runs.RunService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * At first start, indexes a few passages of the gateway's own documentation ({@code demo/demo-docs.txt})
 * into scope {@value #SCOPE} of {@value #MODEL} in the default workspace, so the demo chatbot
 * ({@code demo-chat}) answers out of the box. It is one ordinary run of the owner, entry point
 * {@value #ENTRY_POINT}: priced like any index run (a few items of {@code text-embed}, a thousandth of a
 * credit or so), in the usage log and the run list, never hidden. When the catalog has no such models, the
 * wallet cannot cover it or {@code aimp.demo.index-docs} is false, nothing is indexed and the gateway starts
 * as usual.
 *
 * <p>The indexing starts once the application is ready (after every start-up runner, so after the first
 * start's starting credits) on a thread of its own: loading the embedding model and embedding the passages
 * take seconds that readiness ({@code /api/status} answering 200) does not wait for. Until the run has
 * committed, {@code demo-chat} finds nothing in {@value #SCOPE}.
 */
@Component
class DemoKnowledgeBase {

    static final String MODEL = "text-embed";
    static final String CHAT_MODEL = "demo-chat";
    static final String SCOPE = "demo-docs";
    static final String ENTRY_POINT = "first-start";
    private static final String PASSAGES = "/demo/demo-docs.txt";
    private static final Logger log = LoggerFactory.getLogger(DemoKnowledgeBase.class);

    private final DemoProperties props;
    private final CatalogService catalog;
    private final RunService runs;

    DemoKnowledgeBase(DemoProperties props, CatalogService catalog, RunService runs) {
        this.props = props;
        this.catalog = catalog;
        this.runs = runs;
    }

    /** One passage: its id and text. */
    record Passage(String id, String text) {
    }

    /** The first start this process made, indexed once the application is ready. */
    private volatile FirstStart pending;

    @EventListener
    void onFirstStart(FirstStart first) {
        this.pending = first;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        FirstStart first = pending;
        pending = null;
        if (first == null || !props.indexDocs() || catalog.find(MODEL).isEmpty() || catalog.find(CHAT_MODEL).isEmpty()) {
            return;
        }
        // a daemon: a gateway stopped while the model loads does not wait for it (the run then fails, logged below)
        Thread.ofPlatform().name("aimp-demo-index").daemon(true).start(() -> index(first));
    }

    /** One index run of the owner over the passages. */
    void index(FirstStart first) {
        List<Passage> passages = passages();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", MODEL);
        body.put("mode", "index");
        body.put("scope", SCOPE);
        ArrayNode texts = body.putObject("input").putArray("texts");
        ArrayNode ids = ((ObjectNode) body.get("input")).putArray("ids");
        for (Passage p : passages) {
            texts.add(p.text());
            ids.add(p.id());
        }
        try {
            runs.submit(first.owner(), body, new RunService.Entry(null, ENTRY_POINT, null, null));
            log.info("first start: indexed {} passages of the documentation into {} scope {} for {}", passages.size(),
                    MODEL, SCOPE, CHAT_MODEL);
        } catch (GatewayException e) {
            log.warn("first start: the demo knowledge base was not indexed ({}: {}); index it with {} mode index, scope {}",
                    e.code(), e.detail(), MODEL, SCOPE);
        } catch (RuntimeException e) {
            // e.g. the gateway is shutting down: its connections are closing
            log.warn("first start: the demo knowledge base was not indexed ({}); index it with {} mode index, scope {}",
                    e.getClass().getSimpleName(), MODEL, SCOPE);
        }
    }

    /** The passages: paragraphs whose first line is the id; lines starting with {@code #} are comments. */
    static List<Passage> passages() {
        String text;
        try (InputStream in = DemoKnowledgeBase.class.getResourceAsStream(PASSAGES)) {
            if (in == null) {
                throw new IllegalStateException(PASSAGES + " is missing from the build");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Passage> passages = new ArrayList<>();
        for (String block : text.split("\\R\\s*\\R")) {
            List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (lines.size() >= 2) {
                passages.add(new Passage(lines.getFirst(), String.join(" ", lines.subList(1, lines.size()))));
            }
        }
        return passages;
    }
}
