package io.aimp.gateway.media;

import io.aimp.gateway.auth.AuthProperties;
import io.aimp.gateway.auth.Permission;
import io.aimp.gateway.auth.Principal;
import io.aimp.gateway.common.ErrorCategory;
import io.aimp.gateway.common.FieldError;
import io.aimp.gateway.common.GatewayException;
import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import io.aimp.gateway.storage.Database;
import io.aimp.gateway.storage.Dialect;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Media uploads, end to end: {@code init} reserves quota and signs an upload URL; {@code receive}
 * streams the bytes to the blob store (size enforced while streaming, SHA-256 on the way);
 * {@code complete} checks the bytes are what was declared and turns the upload into a media ref.
 * Another workspace's upload or media answers 404 everywhere.
 */
@Service
public class MediaService {

    private static final Logger log = LoggerFactory.getLogger(MediaService.class);
    static final int MAX_REFS_PER_INPUT = 100;
    static final int MAX_LIST = 100;

    /** What {@code POST /api/media/upload/init} asks for. */
    public record InitCommand(String filename, String contentType, String mediaType, Long sizeBytes) {
    }

    /** Where and until when to send the bytes. */
    public record UploadTicket(String uploadId, String uploadUrl, String method, Instant expiresAt, long maxBytes) {
    }

    /** The bytes of a media item, to be closed by the reader. */
    public record Content(MediaItem item, InputStream stream) {
    }

    public record Page(List<MediaItem> items, long total) {
    }

    private final MediaStore store;
    private final Database db;
    private final List<MediaDeletion> deletions;
    private final BlobStore blobs;
    private final UploadTokens tokens;
    private final MediaProperties props;
    private final String uploadBase;
    private final String mediaBase;
    private final Clock clock;
    /**
     * SQLite has one writer. Generated images are stored one at a time, in arrival order (each store is a few
     * short writes), instead of every concurrent image run polling for the write lock, where one can starve past
     * the busy timeout.
     */
    private final Semaphore sqliteImageWrites = new Semaphore(1, true);

    MediaService(MediaStore store, BlobStore blobs, UploadTokens tokens, MediaProperties props, AuthProperties auth,
                 Clock clock, Database db, List<MediaDeletion> deletions) {
        this.store = store;
        this.db = db;
        this.deletions = List.copyOf(deletions);
        this.blobs = blobs;
        this.tokens = tokens;
        this.props = props;
        this.uploadBase = auth.publicUrl() + "/api/media/upload/";
        this.mediaBase = auth.publicUrl() + "/api/media/";
        this.clock = clock;
    }

    /** Checks the declaration, reserves quota and signs a single-use upload URL. */
    public UploadTicket init(Principal principal, InitCommand cmd) {
        principal.require(Permission.UPLOAD_MEDIA);
        List<FieldError> missing = new ArrayList<>();
        if (cmd.filename() == null) {
            missing.add(new FieldError("$.filename", "filename is required"));
        }
        if (cmd.contentType() == null) {
            missing.add(new FieldError("$.content_type", "content_type is required, e.g. image/png"));
        }
        if (cmd.mediaType() == null) {
            missing.add(new FieldError("$.media_type", "media_type is required: image, audio, video or file"));
        }
        if (cmd.sizeBytes() == null) {
            missing.add(new FieldError("$.size_bytes", "size_bytes is required: the exact number of bytes you will upload"));
        }
        if (!missing.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_upload", "the upload request is incomplete")
                    .errors(missing).build();
        }
        MediaKind kind = MediaKind.parse(cmd.mediaType()).orElseThrow(() -> GatewayException.invalidField(
                "invalid_media_type", "$.media_type", "media_type must be one of image, audio, video, file"));
        String contentType = cmd.contentType().strip().toLowerCase(Locale.ROOT);
        if (!props.contentTypes(kind).contains(contentType)) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "unsupported_content_type",
                            "content_type " + Printable.of(contentType) + " is not accepted for " + kind.wireName()
                                    + " uploads; accepted: " + String.join(", ", props.contentTypes(kind)))
                    .status(415).error("$.content_type", "one of: " + String.join(", ", props.contentTypes(kind))).build();
        }
        long max = props.maxSize(kind);
        if (cmd.sizeBytes() < 1 || cmd.sizeBytes() > max) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "invalid_size",
                            "size_bytes must be from 1 to " + max + " for " + kind.wireName() + " uploads")
                    .status(cmd.sizeBytes() > max ? 413 : 400).error("$.size_bytes", "1 to " + max).build();
        }
        String filename = Filenames.clean(cmd.filename());
        long now = clock.millis();
        long expiresAt = now + props.uploadTtl().toMillis();
        String id = Ids.newId("studio_upload");
        Upload upload = new Upload(id, principal.workspaceId(), principal.userId(), principal.keyId(), filename,
                contentType, kind, cmd.sizeBytes(), UploadState.INITIATED, blobKey(principal.workspaceId(), id), null,
                null, expiresAt, now);
        if (!store.initiate(upload, props.workspaceQuota().toBytes())) {
            MediaStore.Usage usage = store.usage(principal.workspaceId());
            throw GatewayException.of(ErrorCategory.LIMIT, "storage_quota_exceeded",
                    "this workspace keeps " + (usage.usedBytes() + usage.reservedBytes()) + " bytes of media; "
                            + cmd.sizeBytes() + " more would pass its quota of " + props.workspaceQuota().toBytes()
                            + " bytes. Delete media to make room").status(413).build();
        }
        long expirySeconds = Math.floorDiv(expiresAt, 1000);
        return new UploadTicket(id, uploadBase + tokens.sign(id, expirySeconds), "PUT",
                Instant.ofEpochMilli(expiresAt), cmd.sizeBytes());
    }

    /**
     * Streams the bytes of a PUT to the blob store. The token is single use: the upload moves to
     * {@code uploading} before the first byte is read, and ends {@code uploaded} or {@code failed}.
     *
     * @param declaredLength the request's Content-Length, or -1 when it has none
     */
    public Upload receive(String token, long declaredLength, InputStream body) {
        UploadTokens.Verified verified = tokens.verify(token).orElseThrow(() -> GatewayException.forbidden(
                "invalid_upload_token", "this upload URL is not valid; ask for a new one with POST /api/media/upload/init"));
        long now = clock.millis();
        if (verified.expiresAtSeconds() * 1000 < now) {
            throw expired();
        }
        Upload upload = store.upload(verified.uploadId()).orElseThrow(this::expired);
        if (upload.expiresAt() < now || upload.state() == UploadState.EXPIRED) {
            throw expired();
        }
        if (!store.move(upload.id(), UploadState.INITIATED, UploadState.UPLOADING, now)) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_url_used",
                    "this upload URL was already used; an upload URL takes one PUT. Start a new upload").status(409).build();
        }
        if (declaredLength > upload.sizeBytes()) {
            fail(upload, UploadState.UPLOADING);
            throw tooLarge(upload);
        }
        LimitedDigestStream counted = new LimitedDigestStream(body, upload.sizeBytes());
        try {
            blobs.put(upload.blobKey(), counted);
        } catch (LimitedDigestStream.TooLarge e) {
            fail(upload, UploadState.UPLOADING);
            throw tooLarge(upload);
        } catch (IOException e) {
            fail(upload, UploadState.UPLOADING);
            log.info("upload {} failed while streaming: {}", upload.id(), e.toString());
            throw GatewayException.invalid("upload_interrupted",
                    "the upload stopped before all bytes arrived; start a new upload");
        }
        if (counted.count() != upload.sizeBytes()) {
            fail(upload, UploadState.UPLOADING);
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_size_mismatch",
                    "received " + counted.count() + " bytes, but the upload declared size_bytes " + upload.sizeBytes()
                            + "; start a new upload with the exact size").build();
        }
        String sha = counted.sha256Hex();
        if (!store.received(upload.id(), sha, clock.millis())) {
            deleteQuietly(upload.blobKey());
            throw expired();
        }
        return store.upload(upload.id()).orElseThrow();
    }

    /**
     * Checks the received bytes against the declaration and makes the media item. Completing a
     * completed upload answers the same item again.
     */
    public MediaItem complete(Principal principal, String uploadId) {
        principal.require(Permission.UPLOAD_MEDIA);
        if (uploadId == null) {
            throw GatewayException.invalidField("invalid_upload", "$.upload_id", "upload_id is required");
        }
        Upload upload = store.upload(uploadId).filter(u -> u.workspaceId().equals(principal.workspaceId()))
                .orElseThrow(() -> GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_not_found",
                        "no upload " + Printable.of(uploadId) + " in this workspace").status(404).error("$.upload_id", "unknown upload").build());
        switch (upload.state()) {
            case COMPLETED -> {
                return completed(upload);
            }
            case INITIATED, UPLOADING -> throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_not_received",
                    "the bytes of this upload have not arrived; PUT them to the upload_url first").status(409).build();
            case EXPIRED, FAILED -> throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_" + upload.state().wireName(),
                    "this upload " + upload.state().wireName() + "; start a new upload").status(410).build();
            case UPLOADED -> {
                // checked below
            }
        }
        Dimensions dims = inspect(upload);
        MediaItem item = new MediaItem(Ids.newId("media"), upload.workspaceId(), upload.id(), upload.filename(),
                upload.contentType(), upload.kind(), upload.sizeBytes(), upload.sha256(),
                dims == null ? null : (int) dims.width(), dims == null ? null : (int) dims.height(), upload.blobKey(),
                clock.millis());
        if (store.complete(upload.id(), item, item.createdAt())) {
            return item;
        }
        // a concurrent complete won the race
        Upload now = store.upload(upload.id()).orElseThrow();
        if (now.state() == UploadState.COMPLETED) {
            return completed(now);
        }
        throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_" + now.state().wireName(),
                "this upload " + now.state().wireName() + "; start a new upload").status(410).build();
    }

    private record Dimensions(long width, long height) {
    }

    /** Sniffs the first bytes and, for images, reads the dimensions from the header; refuses and discards on failure. */
    private Dimensions inspect(Upload upload) {
        String detected;
        try (InputStream in = blobs.open(upload.blobKey())) {
            detected = ContentSniffer.detect(in.readNBytes(ContentSniffer.HEAD_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read upload " + upload.id(), e);
        }
        if (!ContentSniffer.matches(upload.contentType(), detected)) {
            throw refuse(upload, "content_mismatch", "the upload declared " + upload.contentType()
                    + " but its bytes are " + detected + "; it was discarded");
        }
        Optional<String> markup;
        try (InputStream in = blobs.open(upload.blobKey())) {
            markup = ContentSniffer.activeMarkup(upload.contentType(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read upload " + upload.id(), e);
        }
        if (markup.isPresent()) {
            throw refuse(upload, "content_mismatch", "the upload declared " + upload.contentType() + " but its bytes carry "
                    + "HTML or SVG markup that a browser would run (" + markup.get() + "); it was discarded");
        }
        if (upload.kind() != MediaKind.IMAGE) {
            return null;
        }
        Optional<ImageHeaders.Dimensions> dims;
        try (InputStream in = blobs.open(upload.blobKey())) {
            dims = ImageHeaders.read(in);
        } catch (ImageHeaders.BadHeader e) {
            throw refuse(upload, "invalid_image", e.getMessage() + "; the upload was discarded");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read upload " + upload.id(), e);
        }
        if (dims.isEmpty()) {
            throw refuse(upload, "invalid_image", "the dimensions of this " + upload.contentType()
                    + " image cannot be read from its header; the upload was discarded");
        }
        ImageHeaders.Dimensions d = dims.get();
        if (d.width() < 1 || d.height() < 1 || d.pixels() > props.maxImagePixels()) {
            throw refuse(upload, "image_too_large", "the image is " + d.width() + " × " + d.height()
                    + " pixels; the limit is " + props.maxImagePixels() + " pixels. It was discarded");
        }
        return new Dimensions(d.width(), d.height());
    }

    private GatewayException refuse(Upload upload, String code, String detail) {
        fail(upload, UploadState.UPLOADED);
        return GatewayException.of(ErrorCategory.INVALID_REQUEST, code, detail).status(422).build();
    }

    /** Image bytes that passed the upload checks: their sniffed type and the dimensions read from their header. */
    public record CheckedImage(byte[] bytes, String contentType, int width, int height) {
    }

    /** Why image bytes were refused; the message names the check, never the bytes. */
    public static final class RefusedImage extends RuntimeException {
        RefusedImage(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Checks image bytes from outside (e.g. a provider's answer) as an upload is checked, without storing them:
     * the size cap for images, the type sniffed from the bytes among the accepted image types, no active markup,
     * dimensions readable from the header and within the pixel cap. The pixels are never decoded.
     *
     * @throws RefusedImage naming the check that failed
     */
    public CheckedImage checkImage(byte[] bytes) {
        long max = props.maxSize(MediaKind.IMAGE);
        if (bytes.length == 0 || bytes.length > max) {
            throw new RefusedImage("the image is " + bytes.length + " bytes; images must be from 1 to " + max + " bytes");
        }
        String detected;
        try {
            detected = ContentSniffer.detect(java.util.Arrays.copyOf(bytes, Math.min(bytes.length, ContentSniffer.HEAD_BYTES)));
        } catch (IOException e) {
            throw new RefusedImage("the bytes cannot be read as an image");
        }
        if (!props.contentTypes(MediaKind.IMAGE).contains(detected)) {
            throw new RefusedImage("the bytes are " + detected + ", not one of the accepted image types ("
                    + String.join(", ", props.contentTypes(MediaKind.IMAGE)) + ")");
        }
        Optional<ImageHeaders.Dimensions> dims;
        try {
            dims = ImageHeaders.read(new java.io.ByteArrayInputStream(bytes));
        } catch (ImageHeaders.BadHeader e) {
            throw new RefusedImage(e.getMessage());
        } catch (IOException e) {
            throw new RefusedImage("the image header cannot be read");
        }
        if (dims.isEmpty()) {
            throw new RefusedImage("the dimensions of this " + detected + " image cannot be read from its header");
        }
        ImageHeaders.Dimensions d = dims.get();
        if (d.width() < 1 || d.height() < 1 || d.pixels() > props.maxImagePixels()) {
            throw new RefusedImage("the image is " + d.width() + " × " + d.height() + " pixels; the limit is "
                    + props.maxImagePixels() + " pixels");
        }
        return new CheckedImage(bytes, detected, (int) d.width(), (int) d.height());
    }

    /**
     * Stores checked image bytes as a media item of the principal's workspace, within its storage quota, as a
     * completed upload would be: same blob store, same record, downloadable at {@link #contentUrl}.
     *
     * @throws GatewayException 413 {@code storage_quota_exceeded} when the workspace has no room
     */
    public MediaItem storeImage(Principal principal, String filename, CheckedImage image) {
        CheckedImage checked = checkImage(image.bytes());
        if (db.dialect() != Dialect.SQLITE) {
            return store(principal, filename, checked);
        }
        sqliteImageWrites.acquireUninterruptibly();
        try {
            return store(principal, filename, checked);
        } finally {
            sqliteImageWrites.release();
        }
    }

    private MediaItem store(Principal principal, String filename, CheckedImage checked) {
        long now = clock.millis();
        String id = Ids.newId("studio_upload");
        String name = Filenames.clean(filename);
        Upload upload = new Upload(id, principal.workspaceId(), principal.userId(), principal.keyId(), name,
                checked.contentType(), MediaKind.IMAGE, checked.bytes().length, UploadState.INITIATED,
                blobKey(principal.workspaceId(), id), null, null, now + props.uploadTtl().toMillis(), now);
        if (!store.initiate(upload, props.workspaceQuota().toBytes())) {
            throw GatewayException.of(ErrorCategory.LIMIT, "storage_quota_exceeded",
                    "this workspace's media quota of " + props.workspaceQuota().toBytes()
                            + " bytes has no room for a generated image of " + checked.bytes().length
                            + " bytes. Delete media to make room").status(413).build();
        }
        if (!store.move(id, UploadState.INITIATED, UploadState.UPLOADING, now)) {
            throw new IllegalStateException("a new upload record moved on its own: " + id);
        }
        LimitedDigestStream counted = new LimitedDigestStream(new java.io.ByteArrayInputStream(checked.bytes()),
                checked.bytes().length);
        try {
            blobs.put(upload.blobKey(), counted);
        } catch (IOException e) {
            fail(upload, UploadState.UPLOADING);
            throw new UncheckedIOException("cannot store generated image " + id, e);
        }
        if (!store.received(id, counted.sha256Hex(), clock.millis())) {
            deleteQuietly(upload.blobKey());
            throw new IllegalStateException("a new upload expired while it was stored: " + id);
        }
        MediaItem item = new MediaItem(Ids.newId("media"), upload.workspaceId(), id, name, checked.contentType(),
                MediaKind.IMAGE, checked.bytes().length, counted.sha256Hex(), checked.width(), checked.height(),
                upload.blobKey(), clock.millis());
        if (!store.complete(id, item, item.createdAt())) {
            deleteQuietly(upload.blobKey());
            throw new IllegalStateException("a new upload could not be completed: " + id);
        }
        return item;
    }

    /** Where a media item's bytes are downloaded (with the caller's credentials). */
    public String contentUrl(String mediaRef) {
        return mediaBase + mediaRef + "/content";
    }

    public MediaItem get(Principal principal, String mediaRef) {
        return store.media(principal.workspaceId(), mediaRef).orElseThrow(() -> mediaNotFound(mediaRef, null));
    }

    /** The item and its bytes; the caller closes the stream. Executors read media through this. */
    public Content open(Principal principal, String mediaRef) {
        MediaItem item = get(principal, mediaRef);
        try {
            return new Content(item, blobs.open(item.blobKey()));
        } catch (NoSuchFileException e) {
            log.error("media {} has no blob under its key", item.id());
            throw mediaNotFound(mediaRef, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read media " + item.id(), e);
        }
    }

    /** Deletes a media object with what other features derived from it (its vector items), in one transaction. */
    public void delete(Principal principal, String mediaRef) {
        principal.require(Permission.UPLOAD_MEDIA);
        List<Runnable> afterCommit = new ArrayList<>();
        MediaItem item = db.inTransaction(() -> {
            MediaItem deleted = store.delete(principal.workspaceId(), mediaRef).orElseThrow(() -> mediaNotFound(mediaRef, null));
            for (MediaDeletion d : deletions) {
                afterCommit.add(d.deleteWith(principal.workspaceId(), deleted.id()));
            }
            return deleted;
        });
        afterCommit.forEach(Runnable::run);
        deleteQuietly(item.blobKey());
    }

    public Page list(Principal principal, String mediaType, int limit, int offset) {
        if (limit < 1 || limit > MAX_LIST) {
            throw GatewayException.invalidField("invalid_parameter", "limit", "limit must be a whole number from 1 to " + MAX_LIST);
        }
        if (offset < 0) {
            throw GatewayException.invalidField("invalid_parameter", "offset", "offset must not be negative");
        }
        MediaKind kind = mediaType == null ? null : MediaKind.parse(mediaType).orElseThrow(() -> GatewayException.invalidField(
                "invalid_parameter", "media_type", "media_type must be one of image, audio, video, file"));
        return new Page(store.list(principal.workspaceId(), kind, limit, offset), store.count(principal.workspaceId(), kind));
    }

    /**
     * Finds every {@code {"media_ref": ..., "filename": ...}} object in a run's input and checks it:
     * the media exists in the principal's workspace, and its media type is one the input schema allows
     * at that place when the schema says so ({@code "x-media-types": ["image"]} on the object's schema).
     *
     * @return the referenced media, in input order
     * @throws GatewayException 404 {@code media_not_found} naming the JSON path of every unknown or foreign ref;
     *                          400 {@code media_type_not_allowed} for a ref of a type the schema does not allow
     */
    public List<MediaItem> resolveRefs(Principal principal, JsonNode input, JsonNode inputSchema) {
        List<Ref> refs = new ArrayList<>();
        collect(input, inputSchema, "$.input", refs);
        if (refs.size() > MAX_REFS_PER_INPUT) {
            throw GatewayException.invalid("too_many_media_refs",
                    "a run input may reference at most " + MAX_REFS_PER_INPUT + " media items");
        }
        List<MediaItem> items = new ArrayList<>();
        List<FieldError> unknown = new ArrayList<>();
        List<FieldError> wrongType = new ArrayList<>();
        for (Ref r : refs) {
            Optional<MediaItem> item = store.media(principal.workspaceId(), r.mediaRef());
            if (item.isEmpty()) {
                unknown.add(new FieldError(r.path() + ".media_ref", "no media " + Printable.of(r.mediaRef()) + " in this workspace"));
                continue;
            }
            if (r.allowed() != null && !r.allowed().contains(item.get().kind().wireName())) {
                wrongType.add(new FieldError(r.path() + ".media_ref", "this place takes " + String.join(" or ", r.allowed())
                        + ", not " + item.get().kind().wireName()));
            }
            items.add(item.get());
        }
        if (!unknown.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "media_not_found",
                    unknown.size() + " media_ref" + (unknown.size() == 1 ? " does" : "s do")
                            + " not name media of this workspace; upload first with POST /api/media/upload/init")
                    .status(404).errors(unknown).build();
        }
        if (!wrongType.isEmpty()) {
            throw GatewayException.of(ErrorCategory.INVALID_REQUEST, "media_type_not_allowed",
                    "a media_ref names media of a type this mode does not take").errors(wrongType).build();
        }
        return items;
    }

    private record Ref(String path, String mediaRef, List<String> allowed) {
    }

    private static void collect(JsonNode node, JsonNode schema, String path, List<Ref> out) {
        if (out.size() > MAX_REFS_PER_INPUT) {
            return;
        }
        JsonNode s = schema == null ? null : schema;
        if (node.isObject()) {
            JsonNode ref = node.get("media_ref");
            if (ref != null && ref.isString()) {
                out.add(new Ref(path, ref.stringValue(), allowedTypes(s)));
                return;
            }
            for (var e : node.properties()) {
                JsonNode child = s == null ? null : s.path("properties").get(e.getKey());
                collect(e.getValue(), child, path + "." + pathName(e.getKey()), out);
            }
        } else if (node.isArray()) {
            JsonNode items = s == null ? null : s.get("items");
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), items, path + "[" + i + "]", out);
            }
        }
    }

    private static List<String> allowedTypes(JsonNode schema) {
        if (schema == null || !schema.path("x-media-types").isArray()) {
            return null;
        }
        List<String> types = new ArrayList<>();
        schema.get("x-media-types").forEach(t -> types.add(t.asString()));
        return types;
    }

    /** The key as a path segment: each character other than letters, digits, '_' and '-' becomes '?'; at most 64. */
    private static String pathName(String key) {
        StringBuilder name = new StringBuilder(Math.min(key.length(), 65));
        key.codePoints().forEach(c -> name.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? (char) c : '?'));
        return name.length() > 64 ? name.substring(0, 64) + "…" : name.toString();
    }

    /**
     * Expires uploads whose URL ran out unused and uploads not completed within one more TTL, giving
     * their reservation back and deleting their bytes.
     *
     * @return how many uploads were cleaned
     */
    public int cleanup(Instant now) {
        int cleaned = 0;
        for (Upload u : store.abandoned(now.toEpochMilli(), props.uploadTtl().toMillis(), 500)) {
            if (store.move(u.id(), u.state(), UploadState.EXPIRED, now.toEpochMilli())) {
                deleteQuietly(u.blobKey());
                cleaned++;
            }
        }
        return cleaned;
    }

    private MediaItem completed(Upload upload) {
        return store.media(upload.workspaceId(), upload.mediaId()).orElseThrow(() -> GatewayException.of(
                ErrorCategory.INVALID_REQUEST, "upload_completed",
                "this upload was completed and its media has since been deleted").status(410).build());
    }

    private void fail(Upload upload, UploadState from) {
        if (store.move(upload.id(), from, UploadState.FAILED, clock.millis())) {
            deleteQuietly(upload.blobKey());
        }
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (IOException | RuntimeException e) {
            log.warn("could not delete blob {}; it will be orphaned", key, e);
        }
    }

    private GatewayException expired() {
        return GatewayException.forbidden("upload_expired",
                "this upload URL has expired; start a new upload with POST /api/media/upload/init");
    }

    private static GatewayException tooLarge(Upload upload) {
        return GatewayException.of(ErrorCategory.INVALID_REQUEST, "upload_too_large",
                "the body is larger than the declared size_bytes " + upload.sizeBytes()
                        + "; nothing was kept. Start a new upload with the exact size").status(413).build();
    }

    private static GatewayException mediaNotFound(String mediaRef, String path) {
        GatewayException.Builder b = GatewayException.of(ErrorCategory.INVALID_REQUEST, "media_not_found",
                "no media " + Printable.of(mediaRef) + " in this workspace").status(404);
        return path == null ? b.build() : b.error(path, "unknown media").build();
    }

    private static String blobKey(String workspaceId, String uploadId) {
        return "media/" + workspaceId + "/" + uploadId;
    }
}
