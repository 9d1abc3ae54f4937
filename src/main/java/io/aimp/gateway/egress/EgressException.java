package io.aimp.gateway.egress;

/**
 * An outbound call that was refused or failed. The message names the host and the reason, never
 * the URL's path or query, an address it resolved to, or a header: it is safe to show the caller.
 */
public final class EgressException extends RuntimeException {

    /** Why nothing (more) was fetched. */
    public enum Reason {
        /** The policy refused the URL, a redirect or an address: nothing was sent there. */
        REFUSED,
        /** The call was allowed but did not complete: no answer, no name, a timeout, a broken answer. */
        FAILED
    }

    private final Reason reason;

    EgressException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    static EgressException refused(String message) {
        return new EgressException(Reason.REFUSED, message);
    }

    static EgressException failed(String message) {
        return new EgressException(Reason.FAILED, message);
    }

    public Reason reason() {
        return reason;
    }
}
