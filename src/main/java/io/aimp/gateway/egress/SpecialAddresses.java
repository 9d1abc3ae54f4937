package io.aimp.gateway.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses an outbound call made for a caller may reach: only ordinary public unicast ones.
 * The rule, for both families:
 * <ul>
 * <li>IPv4: refused inside any block of the IANA IPv4 special-purpose registry (all of them, the
 * globally reachable anycast ones such as AS112 and AMT too: a caller's call has no business there),
 * in multicast 224/4, and in reserved 240/4 with the broadcast address.</li>
 * <li>IPv6: an address that carries an IPv4 address (IPv4-mapped {@code ::ffff:0:0/96},
 * IPv4-compatible {@code ::/96}, SIIT {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}, Teredo {@code 2001::/32} with its server and its bit-inverted client address)
 * takes the verdict of the IPv4 addresses it carries. The local-use NAT64 prefix
 * {@code 64:ff9b:1::/48} leads into the operator's own translator, with a prefix length (and so an
 * IPv4 position) chosen locally: refused whatever it carries. Everything else outside global
 * unicast {@code 2000::/3} is refused (unspecified, loopback, discard-only {@code 100::/64},
 * SRv6 {@code 5f00::/16}, unique-local {@code fc00::/7}, link-local {@code fe80::/10}, multicast
 * {@code ff00::/8}, unassigned space); inside it, the registry's blocks {@code 2001::/23},
 * {@code 2001:db8::/32}, {@code 2620:4f:8000::/48} and {@code 3fff::/20} are refused.</li>
 * </ul>
 */
public final class SpecialAddresses {

    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0", 8), block("10.0.0.0", 8), block("100.64.0.0", 10), block("127.0.0.0", 8),
            block("169.254.0.0", 16), block("172.16.0.0", 12), block("192.0.0.0", 24), block("192.0.2.0", 24),
            block("192.31.196.0", 24), block("192.52.193.0", 24), block("192.88.99.0", 24), block("192.168.0.0", 16),
            block("192.175.48.0", 24), block("198.18.0.0", 15), block("198.51.100.0", 24), block("203.0.113.0", 24),
            block("224.0.0.0", 4), block("240.0.0.0", 4));

    /** Registry blocks inside global unicast 2000::/3 (6to4 and Teredo are judged by what they carry). */
    private static final List<Block> IPV6_IN_GLOBAL_UNICAST = List.of(
            block("2001::", 23), block("2001:db8::", 32), block("2620:4f:8000::", 48), block("3fff::", 20));

    private static final Block NAT64_LOCAL = block("64:ff9b:1::", 48);
    private static final Block NAT64 = block("64:ff9b::", 96);
    private static final Block SIX_TO_FOUR = block("2002::", 16);
    private static final Block TEREDO = block("2001::", 32);
    private static final Block COMPATIBLE = block("::", 96);
    /** The first 12 bytes of ::ffff:a.b.c.d (IPv4-mapped) and ::ffff:0:a.b.c.d (SIIT, RFC 2765). */
    private static final byte[] MAPPED = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final byte[] SIIT = {0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0};

    private SpecialAddresses() {
    }

    /** Whether an outbound call for a caller may connect to {@code address}. */
    public static boolean isPublic(InetAddress address) {
        byte[] a = address.getAddress();
        return a.length == 4 ? isPublicV4(a, 0, false) : isPublicV6(a);
    }

    private static boolean isPublicV6(byte[] a) {
        if (startsWith(a, MAPPED, 12) || startsWith(a, SIIT, 12) || NAT64.contains(a) || COMPATIBLE.contains(a)) {
            return isPublicV4(a, 12, false);
        }
        if (NAT64_LOCAL.contains(a)) {
            return false;
        }
        if (SIX_TO_FOUR.contains(a)) {
            return isPublicV4(a, 2, false);
        }
        if (TEREDO.contains(a)) {
            return isPublicV4(a, 4, false) && isPublicV4(a, 12, true);
        }
        if ((a[0] & 0xe0) != 0x20) {
            return false;
        }
        for (Block b : IPV6_IN_GLOBAL_UNICAST) {
            if (b.contains(a)) {
                return false;
            }
        }
        return true;
    }

    /** Judges the IPv4 address at {@code a[from..from+3]}, bit-inverted first when {@code inverted} (Teredo's client). */
    private static boolean isPublicV4(byte[] a, int from, boolean inverted) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = (byte) (inverted ? ~a[from + i] : a[from + i]);
        }
        for (Block b : IPV4) {
            if (b.contains(v4)) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] a, byte[] prefix, int length) {
        for (int i = 0; i < length; i++) {
            if (a[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Block block(String literal, int bits) {
        // a literal is parsed, never looked up
        try {
            return new Block(InetAddress.getByName(literal).getAddress(), bits);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(literal, e);
        }
    }

    private record Block(byte[] prefix, int bits) {

        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }
}
