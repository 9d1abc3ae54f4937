package io.aimp.gateway.content;

import java.util.List;
import java.util.Optional;

/** The content library: posts and their immutable revisions, per workspace. */
interface PostStore {

    /**
     * Filters of a post list; {@code null} fields do not filter.
     *
     * @param userId      only posts this user created
     * @param text        a case-insensitive substring of the title or content
     * @param createdFrom epoch millis, inclusive
     * @param createdTo   epoch millis, exclusive
     */
    record Query(String workspaceId, String userId, String status, String postType, String category, String tag,
                 String text, Long createdFrom, Long createdTo, int limit, int offset) {
    }

    /** Saves {@code post} as revision 1 of a new post. */
    void create(Post post, Revision revision);

    /**
     * Saves {@code revision} as the next revision of its post, only when the post's latest revision is still
     * {@code revision.number() - 1}; returns whether it was saved (false: the post is gone or moved on).
     */
    boolean append(Revision revision);

    Optional<Post> find(String workspaceId, String id);

    List<Post> list(Query q);

    long count(Query q);

    /** Newest first, without their content. */
    List<Revision> revisions(String workspaceId, String postId);

    Optional<Revision> revision(String workspaceId, String postId, int number);

    /** Whether a revision of the post was made by this model release and operation. */
    boolean editedBy(String workspaceId, String postId, String model, String release, String operation);

    /** Deletes the post and its revisions; false when there is none. */
    boolean delete(String workspaceId, String id);
}
