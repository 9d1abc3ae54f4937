package io.aimp.gateway.chat;

import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KnowledgeBase;
import io.aimp.gateway.catalog.PublishedModel;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Routed;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.runs.Execution;
import io.aimp.gateway.runs.ExecutionResult;
import io.aimp.gateway.runs.RunExecutor;
import io.aimp.gateway.vectors.SearchHit;
import io.aimp.gateway.vectors.VectorService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code chat} kind. One run is one turn: load the conversation's recent turns (memory policy),
 * search the knowledge base (retrieval), render the persona with the passages, let the release's
 * routes answer (or, for {@code answer: passages}, reply with the passages themselves), and store the
 * user message and the reply in the transaction that commits the run. Output:
 * {@code {reply, conversation_id, citations[]}}.
 */
@Component
class ChatExecutor implements RunExecutor {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ConversationStore store;
    private final ObjectProvider<VectorService> vectors;
    private final ObjectMapper json;
    private final Clock clock;

    ChatExecutor(ConversationStore store, ObjectProvider<VectorService> vectors, ObjectMapper json, Clock clock) {
        this.store = store;
        this.vectors = vectors;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Kind kind() {
        return ChatSettings.KIND;
    }

    @Override
    public ExecutionResult execute(Execution run) {
        PublishedModel model = run.model();
        ChatSettings s = model.settings(ChatSettings.class);
        String message = run.input().path("message").asString("");
        String conversationId = run.input().path("conversation_id").asString(null);
        String endUser = run.input().path("user").asString(null);
        String workspace = run.principal().workspaceId();

        Conversation existing = null;
        List<ConversationMessage> history = List.of();
        if (conversationId != null) {
            // the same visibility as the conversations API: members continue their own, admins any of the workspace
            boolean all = run.principal().can(Permission.VIEW_ALL_LOGS);
            existing = store.find(workspace, conversationId).filter(conv -> conv.modelId().equals(model.id()))
                    .filter(conv -> all || Objects.equals(conv.userId(), run.principal().userId()))
                    .orElseThrow(() -> GatewayException.notFound("conversation " + Printable.of(conversationId)));
            history = Memory.window(store.lastMessages(conversationId, Math.max(0, s.memoryTurns()) * 2),
                    s.memoryTurns(), s.memoryTokens());
        }

        List<SearchHit> passages = s.retrieval() == null ? List.of() : retrieve(run, s.retrieval(), message);
        ArrayNode citations = citations(passages);

        String reply;
        Usage usage;
        String provider;
        String providerModel;
        if (ChatSettings.PASSAGES.equals(s.answer())) {
            reply = Prompts.passagesReply(passages);
            usage = Usage.NONE;
            provider = "local";
            providerModel = "retrieval";
        } else {
            List<ChatMessage> messages = new ArrayList<>();
            String system = Prompts.system(s.persona() == null ? null : s.persona().execute(scope(run)), passages);
            if (system != null) {
                messages.add(ChatMessage.system(system));
            }
            for (ConversationMessage m : history) {
                messages.add(ChatMessage.USER.equals(m.role()) ? ChatMessage.user(m.content())
                        : ChatMessage.assistant(m.content(), List.of()));
            }
            messages.add(ChatMessage.user(message));
            Double temperature = run.params().path("temperature").isNumber() ? run.params().get("temperature").asDouble() : null;
            Routed<ChatResult> routed = run.chat(messages, temperature, run.params().get("max_tokens"), null, List.of());
            reply = routed.value().text();
            usage = routed.value().usage();
            provider = routed.route().provider();
            providerModel = routed.value().providerModel() != null ? routed.value().providerModel() : routed.route().model();
        }

        String id = existing != null ? existing.id() : Ids.newId("conv");
        boolean isNew = existing == null;
        long now = clock.millis();
        List<ConversationMessage> turn = List.of(
                new ConversationMessage(Ids.newId("msg"), id, 0, ChatMessage.USER, message, null, run.runId(), now),
                new ConversationMessage(Ids.newId("msg"), id, 0, ChatMessage.ASSISTANT, reply, citations, run.runId(), now));
        run.onSuccessfulCommit(() -> {
            if (isNew) {
                store.insert(new Conversation(id, workspace, model.id(), model.slug(), endUser, run.principal().userId(),
                        run.principal().keyId(), 0, now, now));
            }
            // false: deleted while this turn ran; the turn is not stored into a conversation that is gone
            store.append(id, turn, now);
        });

        ObjectNode output = NODES.objectNode();
        output.put("reply", reply);
        if (!run.sideEffectFree()) {
            // a side-effect-free turn (the playground) is not stored: there is no conversation to continue
            output.put("conversation_id", id);
        }
        output.set("citations", citations);
        return new ExecutionResult(output, usage, provider, providerModel);
    }

    private List<SearchHit> retrieve(Execution run, KnowledgeBase r, String query) {
        long start = System.nanoTime();
        List<SearchHit> found;
        try {
            found = vectors.getObject().search(run, r.model(), r.collection(), r.scope(), query, r.topK(), r.minScore());
        } catch (GatewayException e) {
            run.logStep("retrieval", r.model() + "/" + r.scope(), "failed", (System.nanoTime() - start) / 1_000_000,
                    "{\"error\":\"" + e.code() + "\"}");
            throw e;
        }
        ObjectNode detail = NODES.objectNode();
        detail.put("scope", r.scope());
        detail.put("top_k", r.topK());
        detail.put("min_score", r.minScore());
        detail.put("query_chars", query.length());
        detail.put("passages", found.size());
        run.logStep("retrieval", r.model() + "/" + r.scope(), "ok", (System.nanoTime() - start) / 1_000_000,
                json.writeValueAsString(detail));
        return found;
    }

    private Map<String, Object> scope(Execution run) {
        return Map.of("input", json.convertValue(run.input(), Map.class), "params", json.convertValue(run.params(), Map.class));
    }

    static ArrayNode citations(List<SearchHit> passages) {
        ArrayNode a = NODES.arrayNode();
        int i = 1;
        for (SearchHit p : passages) {
            ObjectNode c = a.addObject();
            c.put("index", i++);
            c.put("id", p.id());
            c.put("source", p.source());
            c.put("score", Math.round(p.score() * 10_000) / 10_000.0);
            c.put("text", p.text());
        }
        return a;
    }
}
