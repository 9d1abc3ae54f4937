package io.aimp.gateway.egress;

import io.aimp.gateway.common.Http1Reader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP/1.1 exchange on a connected socket ({@code Connection: close}, no pooling): writes the
 * request, reads the answer within the deadline ({@link Http1Reader}). Status line and headers are capped
 * at {@value #MAX_HEAD} bytes; of the body at most {@code maxBytes} are kept, reading stops at the cap and
 * the answer says whether more was sent.
 */
final class Http11 {

    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_FIELDS = 200;
    /** Header fields the client owns; a caller may not set them. */
    private static final Set<String> OWN = Set.of("host", "content-length", "transfer-encoding", "connection",
            "upgrade", "expect", "te", "trailer", "keep-alive", "proxy-connection", "proxy-authorization");

    /** An answer; its body is cut at the cap and says whether more was sent. */
    record Answer(int status, Map<String, List<String>> headers, Http1Reader.Body body) {
    }

    private Http11() {
    }

    /** Refuses header names and values that could split the request or override the client's own fields. */
    static void checkHeaders(Map<String, String> headers) {
        headers.forEach((name, value) -> {
            if (name.isEmpty() || !name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':')) {
                throw EgressException.refused("'" + name + "' is not a valid header name");
            }
            if (OWN.contains(name.toLowerCase(Locale.ROOT))) {
                throw EgressException.refused("the header " + name + " is set by the gateway");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw EgressException.refused("the value of header " + name + " is not valid");
            }
        });
    }

    static Answer exchange(Socket socket, Target target, String method, Map<String, String> headers, byte[] body,
                           int maxBytes, long deadline) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(target.requestTarget()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(target.hostHeader()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (headers.keySet().stream().noneMatch("user-agent"::equalsIgnoreCase)) {
            head.append("User-Agent: aimp-gateway\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        Http1Reader reader = new Http1Reader(socket.getInputStream(), socket::setSoTimeout,
                new Http1Reader.Limits(MAX_HEAD, MAX_FIELDS, maxBytes, true), 8192);
        Http1Reader.Head answer = reader.readHead(deadline);
        Http1Reader.Body kept = reader.readBody(answer, method.equals("HEAD"), deadline);
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        answer.fields().forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return new Answer(answer.status(), Collections.unmodifiableMap(frozen), kept);
    }
}
