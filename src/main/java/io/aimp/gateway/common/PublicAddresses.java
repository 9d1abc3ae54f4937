package io.aimp.gateway.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one rule for outbound calls made on a caller's behalf (workflow {@code http} blocks, the
 * assistant's {@code http_get}): only public unicast addresses. Refused: loopback, wildcard,
 * link-local (incl. the 169.254.169.254 metadata address), private (RFC 1918), carrier-grade NAT
 * 100.64/10, IETF 192.0.0/24, multicast, reserved 240/4 and broadcast, IPv6 unique-local fc00::/7
 * (incl. fd00:ec2::254), and IPv4-mapped IPv6 forms of all of these.
 */
public final class PublicAddresses {

    private PublicAddresses() {
    }

    public static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && first < 224
                    && !(first == 100 && second >= 64 && second < 128)
                    && !(first == 169 && second == 254)
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0);
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false;
            }
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
