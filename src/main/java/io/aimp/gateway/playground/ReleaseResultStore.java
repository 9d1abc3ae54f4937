package io.aimp.gateway.playground;

import java.util.List;

/** The last result of a model's evaluation suite per workspace and release. */
interface ReleaseResultStore {

    /** One suite run against a release: how many cases passed, what it cost, who ran it and when. */
    record ReleaseResult(String workspaceId, String modelId, String releaseVersion, int cases, int passed, int failed,
                         long costMicros, String userId, long evaluatedAt) {
    }

    /** Records {@code result} as the last of its workspace, model and release (replacing the one before). */
    void save(ReleaseResult result);

    /** The last results of {@code modelId}'s releases in a workspace. */
    List<ReleaseResult> last(String workspaceId, String modelId);
}
