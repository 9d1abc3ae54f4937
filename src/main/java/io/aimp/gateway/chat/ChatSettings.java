package io.aimp.gateway.chat;

import com.samskivert.mustache.Template;
import io.aimp.gateway.catalog.Kind;
import io.aimp.gateway.catalog.KindSettings;
import io.aimp.gateway.catalog.KnowledgeBase;
import io.aimp.gateway.catalog.SettingsReader;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The {@code chat:} block of a chatbot, read when the catalog loads.
 *
 * @param persona       the system prompt template over {@code input} and {@code params}, or {@code null}
 * @param memoryTurns   how many earlier turns (a user message and its reply) go back to the provider
 * @param memoryTokens  a cap on the estimated tokens of those turns (4 characters a token), or {@code null}
 * @param retrieval     the knowledge base to search on every turn, or {@code null}
 * @param answer        {@code generate} (the provider answers) or {@code passages} (the reply is the best passages, no provider)
 * @param retentionDays conversations untouched for longer are deleted, or {@code null} to keep them
 */
public record ChatSettings(Template persona, int memoryTurns, Integer memoryTokens, KnowledgeBase retrieval, String answer,
                           Integer retentionDays) {

    public static final Kind KIND = new Kind("chat");
    static final int DEFAULT_TURNS = 10;
    static final int MAX_TURNS = 100;
    static final String GENERATE = "generate";
    static final String PASSAGES = "passages";
    private static final Set<String> FIELDS = SettingsReader.fields("persona", "memory", "retrieval", "answer", "retention");

    /** Reads {@code chat: {persona, memory: {turns, max_tokens}, retrieval, answer, retention: {days}}}; all optional. */
    @Component
    public static final class Reader implements KindSettings<ChatSettings> {

        @Override
        public Kind kind() {
            return KIND;
        }

        /** The templates a playground run may replace for itself. */
        @Override
        public Set<String> overridable() {
            return Set.of("persona");
        }

        @Override
        public ChatSettings read(JsonNode block, Model model, SettingsReader in) {
            if (block == null) {
                return new ChatSettings(null, DEFAULT_TURNS, null, null, GENERATE, null);
            }
            in.unknownFields(block, "chat", FIELDS);
            Template persona = in.template(block, "persona", "chat", false);
            int turns = DEFAULT_TURNS;
            Integer memoryTokens = null;
            JsonNode memory = block.get("memory");
            if (memory != null && in.mapping(memory, "chat.memory", "with turns and/or max_tokens")) {
                in.unknownFields(memory, "chat.memory", SettingsReader.fields("turns", "max_tokens"));
                turns = in.whole(memory, "turns", "chat.memory", 0, MAX_TURNS, DEFAULT_TURNS);
                memoryTokens = in.positive(memory, "max_tokens", "chat.memory");
            }
            String answer = in.string(block, "answer", "chat", false);
            if (answer != null && !answer.equals(GENERATE) && !answer.equals(PASSAGES)) {
                in.problem("chat.answer", "must be generate (the provider answers) or passages (the reply is the retrieved passages)");
            }
            JsonNode r = block.get("retrieval");
            KnowledgeBase retrieval = r == null ? null : in.knowledgeBase(r, "chat.retrieval");
            if (r == null && PASSAGES.equals(answer)) {
                in.problem("chat.answer", "passages needs chat.retrieval");
            }
            Integer days = null;
            JsonNode retention = block.get("retention");
            if (retention != null && in.mapping(retention, "chat.retention", "with days")) {
                in.unknownFields(retention, "chat.retention", SettingsReader.fields("days"));
                days = in.positive(retention, "days", "chat.retention");
            }
            return new ChatSettings(persona, turns, memoryTokens, retrieval, answer == null ? GENERATE : answer, days);
        }
    }
}
