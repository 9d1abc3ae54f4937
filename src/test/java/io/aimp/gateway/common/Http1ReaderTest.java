package io.aimp.gateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared HTTP/1.1 answer reader on raw bytes: every framing, interim answers, each limit (head bytes,
 * field count, body cap cut or refused), the deadline, and answers that are not HTTP. Streams are read
 * whole and one byte per read, so lines and chunks split across reads are covered too.
 */
class Http1ReaderTest {

    private static final Http1Reader.Limits ROOMY = new Http1Reader.Limits(64 * 1024, 200, 1 << 20, false);

    private final List<Integer> timeouts = new CopyOnWriteArrayList<>();

    private static long in(Duration d) {
        return System.nanoTime() + d.toNanos();
    }

    private static final long LATER = in(Duration.ofMinutes(10));

    private Http1Reader reader(String raw, Http1Reader.Limits limits, boolean trickle) {
        InputStream bytes = new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = trickle ? new OneByteAtATime(bytes) : bytes;
        return new Http1Reader(in, timeouts::add, limits, 64);
    }

    private static String text(Http1Reader.Body body) {
        return new String(body.bytes(), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "one byte per read: {0}")
    @ValueSource(booleans = {false, true})
    void should_read_a_chunked_body_with_extensions_and_trailers_and_stop_at_its_end(boolean trickle) throws IOException {
        Http1Reader r = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n6 ; a=\"b\";c\r\n world\r\nB\r\n, said the \r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext", ROOMY, trickle);

        Http1Reader.Head head = r.readHead(LATER);
        Http1Reader.Body body = r.readBody(head, false, LATER);

        assertThat(text(body)).isEqualTo("hello world, said the ");
        assertThat(body.truncated()).isFalse();
        assertThat(body.endedByClose()).isFalse();
        assertThat(head.persistent()).isTrue();
        // the trailers were consumed exactly: the next answer on the connection reads cleanly
        assertThat(text(r.readBody(r.readHead(LATER), false, LATER))).isEqualTo("next");
    }

    @ParameterizedTest(name = "one byte per read: {0}")
    @ValueSource(booleans = {false, true})
    void should_read_a_fixed_length_body_and_keep_the_header_fields_in_order(boolean trickle) throws IOException {
        Http1Reader r = reader("HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Multi: a\r\n"
                + "content-length:  5 \r\nX-MULTI:\tb\r\nX-\u00dcml\u00e4ut :  v w \t\r\n\r\nhello"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", ROOMY, trickle);

        Http1Reader.Head head = r.readHead(LATER);
        Http1Reader.Body body = r.readBody(head, false, LATER);

        assertThat(head.status()).isEqualTo(201);
        assertThat(head.fields()).containsOnlyKeys("content-type", "content-length", "x-multi", "x-\u00fcml\u00e4ut");
        assertThat(head.fields().get("x-multi")).containsExactly("a", "b");
        assertThat(head.first("x-\u00fcml\u00e4ut")).isEqualTo("v w");
        assertThat(head.first("content-type")).isEqualTo("text/plain");
        assertThat(text(body)).isEqualTo("hello");
        assertThat(body.endedByClose()).isFalse();
        assertThat(r.readBody(r.readHead(LATER), false, LATER).bytes()).isEmpty();
    }

    @Test
    void should_read_to_the_end_of_the_stream_when_no_length_is_given() throws IOException {
        Http1Reader r = reader("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + "z".repeat(300), ROOMY, false);

        Http1Reader.Head head = r.readHead(LATER);
        Http1Reader.Body body = r.readBody(head, false, LATER);

        assertThat(text(body)).isEqualTo("z".repeat(300));
        assertThat(body.endedByClose()).isTrue();
        assertThat(body.truncated()).isFalse();
        assertThat(head.http10()).isTrue();
        assertThat(head.persistent()).isFalse();
    }

    @Test
    void should_read_no_body_after_head_or_for_204_and_304_whatever_the_fields_say() throws IOException {
        Http1Reader r = reader("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ROOMY, false);

        assertThat(r.readBody(r.readHead(LATER), true, LATER).bytes()).isEmpty();
        assertThat(r.readBody(r.readHead(LATER), false, LATER).bytes()).isEmpty();
        assertThat(r.readBody(r.readHead(LATER), false, LATER).bytes()).isEmpty();
        assertThat(text(r.readBody(r.readHead(LATER), false, LATER))).isEqualTo("ok");
    }

    @Test
    void should_tell_whether_the_connection_stays_open() throws IOException {
        Http1Reader r = reader("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", ROOMY, false);

        assertThat(r.readHead(LATER).persistent()).isFalse();
        assertThat(r.readHead(LATER).persistent()).isTrue();
    }

    @Test
    void should_refuse_a_head_over_its_byte_limit_interim_answers_included() {
        Http1Reader.Limits small = new Http1Reader.Limits(100, 200, 1000, true);
        String interim = "HTTP/1.1 100 Continue\r\nX-Pad: " + "p".repeat(50) + "\r\n\r\n";
        String last = "HTTP/1.1 200 OK\r\nX-Pad: " + "q".repeat(30) + "\r\nContent-Length: 0\r\n\r\n";
        assertThat(interim.length()).isLessThan(100);
        assertThat(last.length()).isLessThan(100);

        assertThatThrownBy(() -> reader(interim + last, small, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("answer head larger than 100 bytes");
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(200), small, true).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("answer head larger than 100 bytes");
    }

    @Test
    void should_refuse_more_header_fields_than_allowed_in_the_head_and_in_trailers() throws IOException {
        Http1Reader.Limits three = new Http1Reader.Limits(64 * 1024, 3, 1000, true);
        String fields = "A: 1\r\nB: 2\r\nC: 3\r\n";

        assertThat(reader("HTTP/1.1 200 OK\r\n" + fields + "\r\n", three, false).readHead(LATER).fields()).hasSize(3);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\n" + fields + "D: 4\r\n\r\n", three, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("more than 3 header fields");

        Http1Reader r = reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n" + fields + "D: 4\r\n\r\n",
                three, false);
        Http1Reader.Head head = r.readHead(LATER);
        assertThatThrownBy(() -> r.readBody(head, false, LATER))
                .isInstanceOf(IOException.class).hasMessage("more than 3 header fields");
    }

    @ParameterizedTest(name = "one byte per read: {0}")
    @ValueSource(booleans = {false, true})
    void should_cut_a_body_over_the_cap_and_flag_it_whatever_its_framing(boolean trickle) throws IOException {
        Http1Reader.Limits cap = new Http1Reader.Limits(64 * 1024, 200, 100, true);
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3C\r\n" + "c".repeat(60) + "\r\n3c\r\n"
                + "d".repeat(60) + "\r\n0\r\n\r\n";

        Http1Reader.Body length = body("HTTP/1.1 200 OK\r\nContent-Length: 150\r\n\r\n" + "a".repeat(150), cap, trickle);
        assertThat(text(length)).isEqualTo("a".repeat(100));
        assertThat(length.truncated()).isTrue();

        Http1Reader.Body cut = body(chunked, cap, trickle);
        assertThat(text(cut)).isEqualTo("c".repeat(60) + "d".repeat(40));
        assertThat(cut.truncated()).isTrue();

        Http1Reader.Body toEnd = body("HTTP/1.1 200 OK\r\n\r\n" + "e".repeat(101), cap, trickle);
        assertThat(text(toEnd)).isEqualTo("e".repeat(100));
        assertThat(toEnd.truncated()).isTrue();

        Http1Reader.Body exactly = body("HTTP/1.1 200 OK\r\n\r\n" + "f".repeat(100), cap, trickle);
        assertThat(text(exactly)).isEqualTo("f".repeat(100));
        assertThat(exactly.truncated()).isFalse();

        Http1Reader.Body whole = body(chunked, new Http1Reader.Limits(64 * 1024, 200, 120, true), trickle);
        assertThat(text(whole)).isEqualTo("c".repeat(60) + "d".repeat(60));
        assertThat(whole.truncated()).isFalse();
    }

    @Test
    void should_refuse_a_body_over_the_cap_when_the_limits_do_not_cut() {
        Http1Reader.Limits refuse = new Http1Reader.Limits(64 * 1024, 200, 100, false);

        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", refuse, false))
                .isInstanceOf(IOException.class).hasMessage("answer larger than 100 bytes");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + "c".repeat(100)
                + "\r\n1\r\n", refuse, false))
                .isInstanceOf(IOException.class).hasMessage("answer larger than 100 bytes");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\n\r\n" + "e".repeat(101), refuse, false))
                .isInstanceOf(IOException.class).hasMessage("answer larger than 100 bytes");
    }

    private Http1Reader.Body body(String raw, Http1Reader.Limits limits, boolean trickle) throws IOException {
        Http1Reader r = reader(raw, limits, trickle);
        return r.readBody(r.readHead(LATER), false, LATER);
    }

    @Test
    void should_refuse_status_lines_that_are_not_http_and_framing_that_is_invalid() {
        assertThatThrownBy(() -> reader("SSH-2.0-OpenSSH_9.2\r\n\r\n", ROOMY, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("not an HTTP/1.x answer");
        assertThatThrownBy(() -> reader("HTTP/1.1 2x0 OK\r\n\r\n", ROOMY, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("invalid status");
        assertThatThrownBy(() -> reader("HTTP/1.1 600 Odd\r\n\r\n", ROOMY, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("invalid status");
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", ROOMY, false).readHead(LATER))
                .isInstanceOf(IOException.class).hasMessage("malformed header field");
        assertThatThrownBy(() -> reader("", ROOMY, false).readHead(LATER))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reader("HTTP/1.1 200 OK\r\nA: 1\r\n", ROOMY, false).readHead(LATER))
                .isInstanceOf(EOFException.class);

        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", ROOMY, false))
                .hasMessage("invalid content-length");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nab", ROOMY, false))
                .hasMessage("invalid content-length");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", ROOMY, false))
                .hasMessage("unsupported transfer coding");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ROOMY, false))
                .hasMessage("invalid chunk size");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", ROOMY, false))
                .hasMessage("malformed chunk");
        assertThatThrownBy(() -> body("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", ROOMY, false))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void should_arm_every_blocking_read_with_the_time_left_and_not_read_once_the_deadline_passed() throws IOException {
        Http1Reader r = reader("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", ROOMY, false);
        long deadline = in(Duration.ofMinutes(1));

        r.readBody(r.readHead(deadline), false, deadline);

        assertThat(timeouts).isNotEmpty().allSatisfy(ms -> assertThat(ms).isBetween(1, 60_000));
        assertThat(r.received()).isEqualTo(40);

        Http1Reader late = reader("HTTP/1.1 200 OK\r\n\r\n", ROOMY, false);
        assertThatThrownBy(() -> late.readHead(System.nanoTime() - 1)).isInstanceOf(SocketTimeoutException.class);
        assertThat(late.received()).isZero();
    }

    @Test
    void should_throw_a_socket_timeout_when_the_deadline_passes_mid_body() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    done.await(30, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // the test ended
                }
            });
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                Http1Reader r = new Http1Reader(client.getInputStream(), client::setSoTimeout, ROOMY, 1024);
                long deadline = in(Duration.ofMillis(300));
                Http1Reader.Head head = r.readHead(deadline);
                long start = System.nanoTime();

                assertThatThrownBy(() -> r.readBody(head, false, deadline)).isInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                assertThat(r.received()).isGreaterThan(40);
            } finally {
                done.countDown();
                serving.join(10_000);
            }
        }
    }

    /** Hands out one byte per read, as a slow network may. */
    private static final class OneByteAtATime extends InputStream {
        private final InputStream in;

        OneByteAtATime(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : in.read(b, off, 1);
        }
    }
}
