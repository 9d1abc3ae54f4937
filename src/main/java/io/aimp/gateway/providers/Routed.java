package io.aimp.gateway.providers;

import java.util.List;

/** A result with the route that produced it and every attempt made on the way (the last is the ok one). */
public record Routed<T>(T value, Route route, List<Attempt> attempts) {

    public Routed {
        attempts = List.copyOf(attempts);
    }
}
