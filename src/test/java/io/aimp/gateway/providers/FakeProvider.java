package io.aimp.gateway.providers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/** A provider that answers from a script: each call takes the next outcome, the last one repeats. */
final class FakeProvider implements Provider {

    private final String name;
    private final Deque<Object> script = new ArrayDeque<>();
    private int calls;

    FakeProvider(String name, Object... outcomes) {
        this.name = name;
        script.addAll(List.of(outcomes));
    }

    static ChatResult answer(String text) {
        return new ChatResult(text, List.of(), "stop", Usage.tokens(1, 1), "fake-model");
    }

    static ProviderFailure failure(ProviderFailure.FailureClass c) {
        return ProviderFailure.of(c);
    }

    int calls() {
        return calls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT);
    }

    @Override
    public ChatResult chat(ChatRequest request, Duration timeout) {
        calls++;
        Object next = script.size() > 1 ? script.poll() : script.peek();
        if (next instanceof ProviderFailure f) {
            throw f;
        }
        return (ChatResult) next;
    }
}
