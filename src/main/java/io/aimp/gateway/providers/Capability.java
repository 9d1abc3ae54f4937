package io.aimp.gateway.providers;

/** What a provider can compute; the router and executors check it before choosing an operation. */
public enum Capability {
    CHAT, EMBEDDINGS, IMAGES, MODERATION
}
