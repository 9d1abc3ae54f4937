package io.aimp.gateway.providers.local;

import io.aimp.gateway.providers.Capability;
import io.aimp.gateway.providers.ChatRequest;
import io.aimp.gateway.providers.ChatResult;
import io.aimp.gateway.providers.Provider;
import io.aimp.gateway.providers.ProviderFailure;
import io.aimp.gateway.providers.ProviderFailure.FailureClass;
import io.aimp.gateway.providers.ProviderSettings;
import io.aimp.gateway.providers.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * In-process models that ship with the gateway: no network, no key. Model
 * {@value #EXTRACTIVE_SUMMARY} returns 1 to 3 sentences of the last user message, picked by word
 * frequency; it generates nothing.
 *
 * <p>Usage counts words, not tokens, and is exact: {@code inputTokens} = words of the summarised
 * message, {@code outputTokens} = words of the summary, {@code units} = words read (the input),
 * which is what the work scales with.
 */
public final class LocalProvider implements Provider {

    public static final String EXTRACTIVE_SUMMARY = "extractive-summary";

    private final String name;

    public LocalProvider(String name, ProviderSettings settings) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return ProviderSettings.LOCAL;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT);
    }

    @Override
    public ChatResult chat(ChatRequest request, Duration timeout) {
        if (!EXTRACTIVE_SUMMARY.equals(request.model())) {
            throw ProviderFailure.of(FailureClass.NOT_FOUND, "unknown local model");
        }
        String input = request.lastUserText();
        String summary = ExtractiveSummarizer.summarize(input);
        long in = ExtractiveSummarizer.words(input).size();
        long out = ExtractiveSummarizer.words(summary).size();
        return new ChatResult(summary, List.of(), "stop", new Usage(in, out, in, false), EXTRACTIVE_SUMMARY);
    }
}
