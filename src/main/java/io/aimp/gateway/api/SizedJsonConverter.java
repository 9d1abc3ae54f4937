package io.aimp.gateway.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON answers with a {@code Content-Length}: the body is serialized into memory first, so the server
 * sends headers and body in one write instead of a chunked body and a closing chunk. A body larger
 * than {@link #MAX_BUFFERED} bytes streams on, chunked, from the point it outgrew the buffer.
 */
final class SizedJsonConverter extends JacksonJsonHttpMessageConverter {

    static final int MAX_BUFFERED = 256 * 1024;

    SizedJsonConverter(JsonMapper mapper) {
        super(mapper);
    }

    @Override
    protected void writeInternal(Object object, ResolvableType type, HttpOutputMessage message, Map<String, Object> hints)
            throws IOException {
        Sizing body = new Sizing(message);
        super.writeInternal(object, type, new HttpOutputMessage() {
            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }

            @Override
            public OutputStream getBody() {
                return body;
            }
        }, hints);
        body.finish();
    }

    /** Holds the body until it is complete (then sets its length) or outgrows the buffer (then streams). */
    private static final class Sizing extends OutputStream {

        private final HttpOutputMessage message;
        private ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);
        private OutputStream direct;

        Sizing(HttpOutputMessage message) {
            this.message = message;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (direct == null && buffer.size() + len > MAX_BUFFERED) {
                direct = message.getBody();
                buffer.writeTo(direct);
                buffer = null;
            }
            if (direct != null) {
                direct.write(b, off, len);
            } else {
                buffer.write(b, off, len);
            }
        }

        /** A flush while the body is held waits for {@link #finish}: flushing would commit the answer without a length. */
        @Override
        public void flush() throws IOException {
            if (direct != null) {
                direct.flush();
            }
        }

        void finish() throws IOException {
            if (direct == null) {
                message.getHeaders().setContentLength(buffer.size());
                buffer.writeTo(message.getBody());
            }
        }
    }
}
