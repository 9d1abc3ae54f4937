package io.aimp.gateway.idempotency;

import java.util.Optional;

/**
 * Idempotency keys per workspace and caller (an API key's id, or a user's id for a session): the same
 * key sent by another caller of the workspace is another key. A claim is an insert that does nothing on conflict; the claim
 * carries its owner (a process) and a lease so the claims of a process that died can be deleted.
 * Every method runs inside the caller's transaction.
 */
interface IdempotencyStore {

    enum State { IN_FLIGHT, DONE }

    record Entry(String workspaceId, String caller, String key, String bodyHash, State state, String owner, Long leaseUntil,
                 String runId, Integer statusCode, String response, long createdAt) {
    }

    /** True when this call claimed the key; false when it was already claimed or done. */
    boolean claim(String workspaceId, String caller, String key, String bodyHash, String owner, long leaseUntil, long now);

    Optional<Entry> find(String workspaceId, String caller, String key);

    /** In flight → done with the response; false when this owner no longer holds the claim. */
    boolean complete(String workspaceId, String caller, String key, String owner, int statusCode, String response, String runId);

    /** Deletes this owner's in-flight claim (the request ended without a response worth replaying). */
    boolean release(String workspaceId, String caller, String key, String owner);

    /** Deletes an in-flight claim whose lease ended before {@code now} (its process died). */
    boolean deleteExpired(String workspaceId, String caller, String key, long now);

    /** Deletes in-flight claims of other owners whose lease ended before {@code leaseBefore}, or all of them. */
    int deleteStaleClaims(String keepOwner, long leaseBefore);

    /** Deletes keys created before {@code createdBefore}. */
    int deleteOlderThan(long createdBefore);
}
