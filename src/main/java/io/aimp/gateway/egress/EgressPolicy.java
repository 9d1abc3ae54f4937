package io.aimp.gateway.egress;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What one feature's outbound calls may do; each feature that calls out for a caller holds one.
 *
 * @param allowlistSetting the configuration property that lists {@code allowedHosts}, named in refusals
 * @param allowedHosts     host names that may be called, normalized like request hosts
 *                         ({@link Target#normalize}); IP literals never pass, even when listed
 * @param maxRedirects     redirects followed, each one checked like the first URL; 0: a redirect is
 *                         answered to the caller as it came
 * @param timeout          the whole call, redirects included: resolving, connecting, sending, reading
 * @param maxResponseBytes body bytes kept; the answer says when more were sent
 * @param addressAllowed   {@link SpecialAddresses#isPublic} in the product; a test widens it to reach
 *                         its loopback server
 */
public record EgressPolicy(String allowlistSetting, Set<String> allowedHosts, int maxRedirects, Duration timeout,
                           int maxResponseBytes, Predicate<InetAddress> addressAllowed) {

    public EgressPolicy {
        Objects.requireNonNull(allowlistSetting);
        Objects.requireNonNull(addressAllowed);
        allowedHosts = allowedHosts.stream().map(Target::normalizeListed).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("redirects must be between 0 and 20");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the egress timeout must be positive");
        }
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("the response cap must not be negative");
        }
    }

    /** A policy that lets calls reach public addresses only. */
    public static EgressPolicy of(String allowlistSetting, Collection<String> allowedHosts, int maxRedirects,
                                  Duration timeout, int maxResponseBytes) {
        return new EgressPolicy(allowlistSetting, Set.copyOf(allowedHosts), maxRedirects, timeout, maxResponseBytes,
                SpecialAddresses::isPublic);
    }

    /** This policy with another address rule (tests reach their loopback servers with it). */
    public EgressPolicy withAddressCheck(Predicate<InetAddress> check) {
        return new EgressPolicy(allowlistSetting, allowedHosts, maxRedirects, timeout, maxResponseBytes, check);
    }
}
