package io.aimp.gateway.content;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A post of the content library as its latest revision has it.
 *
 * @param featuredImage the media ref of the post's featured image, or {@code null}
 * @param revision the number of the latest revision, from 1
 * @param userId   who created the post (members edit their own)
 */
record Post(String id, String workspaceId, String userId, String postType, String status, String title,
            String contentHtml, String excerpt, List<String> tags, List<String> categories, String seoDescription,
            JsonNode metadata, String featuredImage, int revision, long createdAt, long updatedAt) {

    Post {
        tags = tags == null ? List.of() : List.copyOf(tags);
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    Post withFeaturedImage(String mediaRef) {
        return new Post(id, workspaceId, userId, postType, status, title, contentHtml, excerpt, tags, categories,
                seoDescription, metadata, mediaRef, revision, createdAt, updatedAt);
    }

    Post withRevision(int n, long now) {
        return new Post(id, workspaceId, userId, postType, status, title, contentHtml, excerpt, tags, categories,
                seoDescription, metadata, featuredImage, n, createdAt, now);
    }
}
