package io.aimp.gateway.api;

import io.aimp.gateway.common.Ids;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report for requests it refuses before the application sees them (a malformed
 * request line or percent-encoding, headers over Tomcat's own limit, an unknown {@code Expect}):
 * problem JSON like every other answer, instead of Tomcat's HTML page. Public with a no-argument
 * constructor because Tomcat creates it from its class name.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        // after a failure that prevents further I/O nobody would read the answer
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        boolean client = status < 500;
        String code = switch (status) {
            case 404 -> "route_not_found";
            case 417 -> "expectation_failed";
            case 505 -> "http_version_not_supported";
            default -> client ? "bad_request" : "internal_error";
        };
        String detail = client ? "the request is not valid HTTP or exceeds a limit of the server and was not processed"
                : "the server could not process this request";
        String body = "{\"type\":\"urn:aimp:problem:" + code + "\",\"title\":\"" + (client ? "Invalid request" : "Internal error")
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code
                + "\",\"category\":\"" + (client || status == 505 ? "invalid_request" : "execution")
                + "\",\"request_id\":\"" + Ids.newId("req") + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer is already under way: nothing more to send
        }
    }
}
