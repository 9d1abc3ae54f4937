package io.aimp.gateway.providers.openai;

import io.aimp.gateway.providers.ChatMessage;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.EmbeddingResult;
import io.aimp.gateway.providers.ImageResult;
import io.aimp.gateway.providers.ModerationResult;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ToolCall;
import io.aimp.gateway.providers.Usage;
import io.aimp.gateway.providers.openai.OpenAiWire.ChatCompletionRequest;
import io.aimp.gateway.providers.openai.OpenAiWire.ChatCompletionResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.Choice;
import io.aimp.gateway.providers.openai.OpenAiWire.EmbeddingData;
import io.aimp.gateway.providers.openai.OpenAiWire.EmbeddingsResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.FunctionCall;
import io.aimp.gateway.providers.openai.OpenAiWire.FunctionDef;
import io.aimp.gateway.providers.openai.OpenAiWire.ImageData;
import io.aimp.gateway.providers.openai.OpenAiWire.ImagesResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.JsonSchema;
import io.aimp.gateway.providers.openai.OpenAiWire.Message;
import io.aimp.gateway.providers.openai.OpenAiWire.ModerationData;
import io.aimp.gateway.providers.openai.OpenAiWire.ModerationsResponse;
import io.aimp.gateway.providers.openai.OpenAiWire.ResponseFormat;
import io.aimp.gateway.providers.openai.OpenAiWire.Tool;
import io.aimp.gateway.providers.openai.OpenAiWire.WireToolCall;
import io.aimp.gateway.providers.openai.OpenAiWire.WireUsage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/** Our records ↔ the OpenAI wire format. A response missing what we need is an INVALID_RESPONSE. */
final class OpenAiMapper {

    private OpenAiMapper() {
    }

    static ChatCompletionRequest toWire(ChatRequest r) {
        List<Message> messages = r.messages().stream().map(OpenAiMapper::toWire).toList();
        List<Tool> tools = r.tools().isEmpty() ? null : r.tools().stream()
                .map(t -> new Tool("function", new FunctionDef(t.name(), t.description(), t.parametersSchema())))
                .toList();
        ResponseFormat format = r.responseJsonSchema() == null ? null
                : new ResponseFormat("json_schema", new JsonSchema("output", r.responseJsonSchema()));
        return new ChatCompletionRequest(r.model(), messages, r.temperature(), r.maxTokens(), tools, format);
    }

    private static Message toWire(ChatMessage m) {
        List<WireToolCall> calls = m.toolCalls().isEmpty() ? null : m.toolCalls().stream()
                .map(c -> new WireToolCall(c.id(), "function",
                        new FunctionCall(c.name(), c.arguments() == null ? "{}" : c.arguments().toString())))
                .toList();
        return new Message(m.role(), m.content(), calls, m.toolCallId());
    }

    static ChatResult fromWire(ChatCompletionResponse response, ChatRequest request) {
        if (response.choices() == null || response.choices().isEmpty() || response.choices().get(0).message() == null) {
            throw invalid();
        }
        Choice choice = response.choices().get(0);
        Message message = choice.message();
        List<ToolCall> calls = new ArrayList<>();
        if (message.toolCalls() != null) {
            for (WireToolCall c : message.toolCalls()) {
                if (c.function() == null || c.function().name() == null) {
                    throw invalid();
                }
                calls.add(new ToolCall(c.id(), c.function().name(), parseArguments(c.function().arguments())));
            }
        }
        String text = message.content() == null ? "" : message.content();
        Usage usage = chatUsage(response.usage(), request.inputChars(), text.length());
        return new ChatResult(text, calls, finishReason(choice.finishReason()), usage,
                response.model() == null ? request.model() : response.model());
    }

    private static tools.jackson.databind.JsonNode parseArguments(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return OpenAiClient.JSON.createObjectNode();
        }
        try {
            return OpenAiClient.JSON.readTree(arguments);
        } catch (JacksonException e) {
            // a model that emits broken JSON arguments produced no usable call; another route may
            throw ProviderFailure.of(FailureClass.INVALID_RESPONSE, "tool call arguments are not JSON");
        }
    }

    private static ProviderFailure invalid() {
        return ProviderFailure.of(FailureClass.INVALID_RESPONSE, "response lacks required fields");
    }

    static Usage chatUsage(WireUsage usage, long inputChars, long outputChars) {
        if (usage == null || usage.promptTokens() == null) {
            return Usage.estimateFromChars(inputChars, outputChars);
        }
        long out = usage.completionTokens() == null ? 0 : usage.completionTokens();
        return Usage.tokens(usage.promptTokens(), out);
    }

    static String finishReason(String reason) {
        if (reason == null) {
            return "other";
        }
        return switch (reason) {
            case "stop", "length", "tool_calls", "content_filter" -> reason;
            case "function_call" -> "tool_calls";
            default -> "other";
        };
    }

    static EmbeddingResult fromWire(EmbeddingsResponse response, List<String> texts) {
        if (response.data() == null || response.data().size() != texts.size()) {
            throw invalid();
        }
        List<EmbeddingData> sorted = new ArrayList<>(response.data());
        sorted.sort(Comparator.comparing(d -> d.index() == null ? 0 : d.index()));
        List<float[]> vectors = new ArrayList<>();
        for (EmbeddingData d : sorted) {
            if (d.embedding() == null) {
                throw invalid();
            }
            vectors.add(d.embedding());
        }
        long chars = texts.stream().mapToLong(String::length).sum();
        Usage usage = response.usage() == null || response.usage().promptTokens() == null
                ? new Usage((chars + 3) / 4, 0, (chars + 3) / 4, true)
                : new Usage(response.usage().promptTokens(), 0, response.usage().promptTokens(), false);
        return new EmbeddingResult(vectors, usage);
    }

    static ImageResult fromWire(ImagesResponse response) {
        if (response.data() == null || response.data().isEmpty()) {
            throw invalid();
        }
        List<String> images = new ArrayList<>();
        for (ImageData d : response.data()) {
            String image = d.url() != null ? d.url() : d.b64Json();
            if (image == null) {
                throw invalid();
            }
            images.add(image);
        }
        return new ImageResult(images, new Usage(0, 0, images.size(), false));
    }

    static ModerationResult fromWire(ModerationsResponse response, int expected) {
        if (response.results() == null || response.results().size() != expected) {
            throw invalid();
        }
        List<ModerationResult.Verdict> verdicts = new ArrayList<>();
        for (ModerationData d : response.results()) {
            if (d == null || d.flagged() == null) {
                throw invalid(); // a verdict without "flagged" is no verdict: a check fails closed
            }
            List<String> flaggedCategories = new ArrayList<>();
            if (d.categories() != null) {
                d.categories().forEach((name, on) -> {
                    if (Boolean.TRUE.equals(on)) {
                        flaggedCategories.add(name);
                    }
                });
            }
            verdicts.add(new ModerationResult.Verdict(d.flagged(), flaggedCategories,
                    d.categoryScores() == null ? Map.of() : d.categoryScores()));
        }
        return new ModerationResult(verdicts, new Usage(0, 0, expected, false));
    }
}
