package io.aimp.gateway.vectors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where index and search meet: a workspace, a published model (by id), the model's collection and
 * the caller's scope. Two calls share vectors only when all four are equal.
 */
public record Namespace(String workspaceId, String modelId, String collection, String scope) {

    /** A stable key for caches and locks. */
    String key() {
        return workspaceId + '\u0000' + modelId + '\u0000' + collection + '\u0000' + scope;
    }

    /** The index folder's name inside its workspace's folder: a hash, so no request text reaches the file system. */
    String folderName() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The workspace's folder name, also hashed. */
    String workspaceFolderName() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(workspaceId.getBytes(StandardCharsets.UTF_8));
            return "ws-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
