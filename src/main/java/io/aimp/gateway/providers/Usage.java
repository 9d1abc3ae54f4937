package io.aimp.gateway.providers;

/**
 * What one provider call consumed.
 *
 * @param units     the operation's billable count: tokens in + out for chat, input tokens for
 *                  embeddings, images for image generation, texts for moderation. Local models
 *                  count words instead of tokens and say so in their own documentation.
 * @param estimated {@code true} when the provider did not report usage and it was estimated
 *                  from characters (4 characters per token)
 */
public record Usage(long inputTokens, long outputTokens, long units, boolean estimated) {

    public static final Usage NONE = new Usage(0, 0, 0, false);

    public static Usage tokens(long input, long output) {
        return new Usage(input, output, input + output, false);
    }

    /** A chat estimate from characters in and out, rounded up; marked as estimated. */
    public static Usage estimateFromChars(long inputChars, long outputChars) {
        long in = (inputChars + 3) / 4;
        long out = (outputChars + 3) / 4;
        return new Usage(in, out, in + out, true);
    }
}
