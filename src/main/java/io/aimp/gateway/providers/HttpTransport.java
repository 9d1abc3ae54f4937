package io.aimp.gateway.providers;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * How {@link JsonHttp} reaches one provider origin (the base URL's scheme, host, port and path), for every
 * provider adapter: a POST whose whole answer is read into memory within one deadline. Bounded: the
 * answer's body is at most {@link #MAX_BODY} bytes.
 */
interface HttpTransport extends AutoCloseable {

    int MAX_BODY = 32 * 1024 * 1024;

    /** A complete answer: status, headers (names in lower case) and body. */
    record Response(int status, HttpHeaders headers, byte[] body) {
    }

    /**
     * POSTs {@code body} to the base URL's path + {@code path} and reads the whole answer.
     *
     * @throws TimeoutException when the deadline passes before the answer is complete
     * @throws IOException      when the connection fails or the answer is not HTTP or too large
     */
    Response post(String path, List<Map.Entry<String, String>> headers, byte[] body, Duration timeout)
            throws IOException, TimeoutException;

    @Override
    void close();
}
