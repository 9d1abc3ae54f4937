package io.aimp.gateway.content;

/**
 * One immutable revision of a post: the post as it was saved, and what saved it.
 *
 * @param runId     the run that produced it, or {@code null} for a change through the library API
 * @param model     the model's slug, or {@code null}
 * @param release   the release version, or {@code null}
 * @param operation {@code generate}, an edit operation's name, {@code instruction}, {@code update} or
 *                  {@code restore:<n>}
 */
record Revision(Post post, int number, String runId, String model, String release, String operation, String userId,
                long createdAt) {
}
