package io.aimp.gateway.api;

import io.aimp.gateway.common.Ids;
import io.aimp.gateway.common.RedactingConverters;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/** Request ids: a client's {@code X-Request-Id} is kept if it is a safe token, otherwise one is generated. */
final class RequestIds {

    static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "aimp.requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /**
     * A presented id that looks like a credential (a client that put its key in the wrong header) is
     * replaced: request ids are logged and echoed, credentials never are.
     */
    static String accept(String presented) {
        return presented != null && SAFE.matcher(presented).matches()
                && RedactingConverters.redact(presented).equals(presented) ? presented : Ids.newId("req");
    }

    static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id == null) {
            // error dispatches and early failures may come before the filter; still answer with an id
            String fresh = accept(request.getHeader(HEADER));
            request.setAttribute(ATTRIBUTE, fresh);
            return fresh;
        }
        return id.toString();
    }
}
