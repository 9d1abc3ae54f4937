package io.aimp.gateway.media;

import io.aimp.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/media}: upload (init → PUT bytes → complete), read, download and delete media. The PUT
 * carries its own signed token instead of an API key and streams its body; see api/PublicRoutes.
 */
@RestController
@RequestMapping("/api/media")
class MediaController {

    private final MediaService media;

    MediaController(MediaService media) {
        this.media = media;
    }

    record InitRequest(String filename, String contentType, String mediaType, Long sizeBytes) {
    }

    record CompleteRequest(String uploadId) {
    }

    @PostMapping("/upload/init")
    @ResponseStatus(HttpStatus.CREATED)
    MediaService.UploadTicket init(Principal principal, @RequestBody InitRequest req) {
        return media.init(principal, new MediaService.InitCommand(req.filename(), req.contentType(), req.mediaType(), req.sizeBytes()));
    }

    /** The body is read from the servlet stream with a fixed buffer, never bound to a byte array. */
    @PutMapping("/upload/{token}")
    Map<String, Object> upload(@PathVariable String token, HttpServletRequest request) throws IOException {
        Upload u = media.receive(token, request.getContentLengthLong(), request.getInputStream());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("upload_id", u.id());
        view.put("status", u.state().wireName());
        view.put("size_bytes", u.sizeBytes());
        view.put("sha256", u.sha256());
        return view;
    }

    @PostMapping("/upload/complete")
    @ResponseStatus(HttpStatus.CREATED)
    Map<String, Object> complete(Principal principal, @RequestBody CompleteRequest req) {
        return view(media.complete(principal, req.uploadId()));
    }

    @GetMapping
    Map<String, Object> list(Principal principal,
                             @RequestParam(name = "media_type", required = false) String mediaType,
                             @RequestParam(defaultValue = "20") int limit,
                             @RequestParam(defaultValue = "0") int offset) {
        MediaService.Page page = media.list(principal, mediaType, limit, offset);
        List<Map<String, Object>> data = page.items().stream().map(MediaController::view).toList();
        return Map.of("object", "list", "data", data, "total", page.total(), "limit", limit, "offset", offset);
    }

    @GetMapping("/{mediaRef}")
    Map<String, Object> get(Principal principal, @PathVariable String mediaRef) {
        return view(media.get(principal, mediaRef));
    }

    @GetMapping("/{mediaRef}/content")
    void content(Principal principal, @PathVariable String mediaRef, HttpServletResponse response) throws IOException {
        MediaService.Content content = media.open(principal, mediaRef);
        try (InputStream in = content.stream()) {
            MediaItem item = content.item();
            response.setContentType(item.contentType());
            response.setContentLengthLong(item.sizeBytes());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename(item.filename(), StandardCharsets.UTF_8).build().toString());
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
            response.setHeader(HttpHeaders.ETAG, "\"" + item.sha256() + "\"");
            OutputStream out = response.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }
    }

    @DeleteMapping("/{mediaRef}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Principal principal, @PathVariable String mediaRef) {
        media.delete(principal, mediaRef);
    }

    static Map<String, Object> view(MediaItem m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("media_ref", m.id());
        v.put("object", "media");
        v.put("media_type", m.kind().wireName());
        v.put("content_type", m.contentType());
        v.put("size_bytes", m.sizeBytes());
        v.put("sha256", m.sha256());
        v.put("filename", m.filename());
        if (m.width() != null) {
            v.put("width", m.width());
            v.put("height", m.height());
        }
        v.put("created_at", Instant.ofEpochMilli(m.createdAt()).toString());
        return v;
    }
}
