package io.aimp.gateway.limits;

/** The outcome of one limit check. */
public enum Decision {
    /** Within the limit; the amount is taken. */
    ADMITTED,
    /** Over a rate (per minute, concurrency): waiting helps. */
    RATE_LIMITED,
    /** Over a quota (credit cap, or more than the limit allows at all): waiting until the reset helps, if anything. */
    QUOTA_EXCEEDED
}
