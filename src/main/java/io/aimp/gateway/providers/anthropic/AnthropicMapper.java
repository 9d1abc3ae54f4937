package io.aimp.gateway.providers.anthropic;

import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ToolCall;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.providers.anthropic.AnthropicWire.Block;
import io.aimp.gateway.providers.anthropic.AnthropicWire.Message;
import io.aimp.gateway.providers.anthropic.AnthropicWire.MessagesRequest;
import io.aimp.gateway.providers.anthropic.AnthropicWire.MessagesResponse;
import io.aimp.gateway.providers.anthropic.AnthropicWire.Tool;
import io.aimp.gateway.providers.anthropic.AnthropicWire.ToolChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * Our records ↔ the Anthropic Messages format. System turns go to the top-level {@code system};
 * tool results become {@code tool_result} blocks of a user turn; consecutive turns of one role are
 * merged because the API expects user and assistant to alternate. A response JSON Schema is
 * enforced the way Anthropic documents it: one forced tool whose input schema is the schema.
 */
final class AnthropicMapper {

    static final int DEFAULT_MAX_TOKENS = 1024;
    static final String JSON_TOOL = "json_output";

    private AnthropicMapper() {
    }

    static MessagesRequest toWire(ChatRequest r) {
        List<String> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        for (ChatMessage m : r.messages()) {
            switch (m.role()) {
                case ChatMessage.SYSTEM -> system.add(m.content() == null ? "" : m.content());
                case ChatMessage.USER -> append(messages, "user", List.of(Block.text(nullToEmpty(m.content()))));
                case ChatMessage.TOOL -> append(messages, "user",
                        List.of(Block.toolResult(m.toolCallId(), nullToEmpty(m.content()))));
                default -> {
                    List<Block> blocks = new ArrayList<>();
                    if (m.content() != null && !m.content().isEmpty()) {
                        blocks.add(Block.text(m.content()));
                    }
                    for (ToolCall c : m.toolCalls()) {
                        blocks.add(Block.toolUse(c.id(), c.name(),
                                c.arguments() == null ? AnthropicClient.JSON.createObjectNode() : c.arguments()));
                    }
                    append(messages, "assistant", blocks);
                }
            }
        }
        List<Tool> tools = r.tools().stream()
                .map(t -> new Tool(t.name(), t.description(), t.parametersSchema()))
                .toList();
        ToolChoice choice = null;
        if (r.responseJsonSchema() != null) {
            if (!tools.isEmpty()) {
                throw ProviderFailure.of(FailureClass.UNSUPPORTED, "a response schema together with tools");
            }
            tools = List.of(new Tool(JSON_TOOL, "Answer with JSON that matches this schema.", r.responseJsonSchema()));
            choice = new ToolChoice("tool", JSON_TOOL);
        }
        return new MessagesRequest(r.model(), r.maxTokens() == null ? DEFAULT_MAX_TOKENS : r.maxTokens(),
                system.isEmpty() ? null : String.join("\n\n", system), messages, r.temperature(),
                tools.isEmpty() ? null : tools, choice);
    }

    private static void append(List<Message> messages, String role, List<Block> blocks) {
        if (!messages.isEmpty() && messages.getLast().role().equals(role)) {
            List<Block> merged = new ArrayList<>(messages.getLast().content());
            merged.addAll(blocks);
            messages.set(messages.size() - 1, new Message(role, merged));
        } else {
            messages.add(new Message(role, List.copyOf(blocks)));
        }
    }

    static ChatResult fromWire(MessagesResponse response, ChatRequest request) {
        if (response.content() == null) {
            throw invalid();
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (Block b : response.content()) {
            if ("text".equals(b.type()) && b.text() != null) {
                text.append(b.text());
            } else if ("tool_use".equals(b.type())) {
                if (b.name() == null) {
                    throw invalid();
                }
                calls.add(new ToolCall(b.id(), b.name(), b.input() == null ? AnthropicClient.JSON.createObjectNode() : b.input()));
            }
            // thinking and other block types carry nothing the caller asked for
        }
        String finish = finishReason(response.stopReason());
        if (request.responseJsonSchema() != null) {
            ToolCall json = calls.stream().filter(c -> JSON_TOOL.equals(c.name())).findFirst().orElseThrow(AnthropicMapper::invalid);
            text = new StringBuilder(json.arguments().toString());
            calls = List.of();
            finish = "tool_calls".equals(finish) ? "stop" : finish;
        }
        String out = text.toString();
        Usage usage = response.usage() == null || response.usage().inputTokens() == null
                ? Usage.estimateFromChars(request.inputChars(), out.length())
                : Usage.tokens(response.usage().inputTokens(),
                        response.usage().outputTokens() == null ? 0 : response.usage().outputTokens());
        return new ChatResult(out, calls, finish, usage, response.model() == null ? request.model() : response.model());
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "other";
        }
        return switch (stopReason) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "other";
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static ProviderFailure invalid() {
        return ProviderFailure.of(FailureClass.INVALID_RESPONSE, "response lacks required fields");
    }
}
