package io.aimp.gateway.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every block of the IANA IPv4 and IPv6 special-purpose address registries (and multicast), each
 * IPv6 form that carries an IPv4 address with a private and a public one inside, and ordinary public
 * addresses of both families.
 */
class SpecialAddressesTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                 | refused | this network 0/8
            0.255.1.2               | refused | this network 0/8
            10.0.0.1                | refused | private 10/8
            10.255.255.255          | refused | private 10/8
            100.64.0.1              | refused | shared (CGN) 100.64/10
            100.127.255.254         | refused | shared (CGN) 100.64/10
            127.0.0.1               | refused | loopback 127/8
            127.255.0.9             | refused | loopback 127/8
            169.254.169.254         | refused | link-local 169.254/16, cloud metadata
            169.254.0.1             | refused | link-local 169.254/16
            172.16.0.1              | refused | private 172.16/12
            172.31.255.255          | refused | private 172.16/12
            192.0.0.1               | refused | IETF protocol assignments 192.0.0/24
            192.0.0.9               | refused | PCP anycast 192.0.0.9
            192.0.0.170             | refused | NAT64 discovery 192.0.0.170
            192.0.2.1               | refused | documentation TEST-NET-1
            192.31.196.1            | refused | AS112-v4
            192.52.193.1            | refused | AMT
            192.88.99.1             | refused | deprecated 6to4 relay anycast
            192.168.1.1             | refused | private 192.168/16
            192.175.48.1            | refused | AS112 direct delegation
            198.18.0.1              | refused | benchmarking 198.18/15
            198.19.255.255          | refused | benchmarking 198.18/15
            198.51.100.7            | refused | documentation TEST-NET-2
            203.0.113.7             | refused | documentation TEST-NET-3
            224.0.0.1               | refused | multicast 224/4
            239.255.255.250         | refused | multicast 224/4
            240.0.0.1               | refused | reserved 240/4
            255.255.255.255         | refused | limited broadcast
            ::                      | refused | unspecified ::/128
            ::1                     | refused | loopback ::1/128
            64:ff9b::a00:1          | refused | NAT64 64:ff9b::/96 carrying 10.0.0.1
            64:ff9b::7f00:1         | refused | NAT64 64:ff9b::/96 carrying 127.0.0.1
            64:ff9b::808:808        | allowed | NAT64 64:ff9b::/96 carrying 8.8.8.8
            64:ff9b:1::a00:1        | refused | local-use NAT64 64:ff9b:1::/48 carrying 10.0.0.1
            64:ff9b:1::808:808      | refused | local-use NAT64 64:ff9b:1::/48 carrying 8.8.8.8 (a local translator)
            100::1                  | refused | discard-only 100::/64
            100:0:0:1::1            | refused | dummy prefix 100:0:0:1::/64
            2001::1                 | refused | Teredo carrying server 0.0.0.0
            2001:0:4136:e378:8000:63bf:f5ff:fffe | refused | Teredo, client 10.0.0.1 (bits inverted)
            2001:0:4136:e378:8000:63bf:80ff:fffe | refused | Teredo, client 127.0.0.1 (bits inverted)
            2001:0:a00:1:8000:63bf:f7f7:f7f7      | refused | Teredo, server 10.0.0.1
            2001:0:4136:e378:8000:63bf:f7f7:f7f7 | allowed | Teredo, server 65.54.227.120 and client 8.8.8.8
            2001:1::1               | refused | PCP anycast 2001:1::1
            2001:1::2               | refused | TURN anycast 2001:1::2
            2001:2::1               | refused | benchmarking 2001:2::/48
            2001:3::1               | refused | AMT 2001:3::/32
            2001:4:112::1           | refused | AS112-v6
            2001:10::1              | refused | deprecated ORCHID 2001:10::/28
            2001:20::1              | refused | ORCHIDv2 2001:20::/28
            2001:30::1              | refused | drone DETs 2001:30::/28
            2001:1ff:ffff::1        | refused | IETF protocol assignments 2001::/23
            2001:db8::1             | refused | documentation 2001:db8::/32
            2001:db8:ffff::1        | refused | documentation 2001:db8::/32
            2002:a00:1::1           | refused | 6to4 carrying 10.0.0.1
            2002:7f00:1::1          | refused | 6to4 carrying 127.0.0.1
            2002:a9fe:a9fe::1       | refused | 6to4 carrying 169.254.169.254
            2002:808:808::1         | allowed | 6to4 carrying 8.8.8.8
            2620:4f:8000::1         | refused | AS112 direct delegation v6
            3fff::1                 | refused | documentation 3fff::/20
            3fff:fff:ffff::1        | refused | documentation 3fff::/20
            5f00::1                 | refused | SRv6 SIDs 5f00::/16
            fc00::1                 | refused | unique-local fc00::/7
            fd00::1                 | refused | unique-local fd00::/8
            fd00:ec2::254           | refused | unique-local, AWS metadata
            fe80::1                 | refused | link-local fe80::/10
            febf::1                 | refused | link-local fe80::/10
            fec0::1                 | refused | deprecated site-local fec0::/10
            ff02::1                 | refused | multicast ff00::/8
            ff0e::1                 | refused | multicast ff00::/8
            ::a00:1                 | refused | IPv4-compatible carrying 10.0.0.1
            ::7f00:1                | refused | IPv4-compatible carrying 127.0.0.1
            ::808:808               | allowed | IPv4-compatible carrying 8.8.8.8
            ::ffff:0:a00:1          | refused | SIIT ::ffff:0:0:0/96 carrying 10.0.0.1
            ::ffff:0:7f00:1         | refused | SIIT carrying 127.0.0.1
            ::ffff:0:808:808        | allowed | SIIT carrying 8.8.8.8
            ::ffff:10.0.0.1         | refused | IPv4-mapped carrying 10.0.0.1 (the JDK makes it IPv4)
            ::ffff:169.254.169.254  | refused | IPv4-mapped carrying the metadata address
            ::ffff:127.0.0.1        | refused | IPv4-mapped carrying 127.0.0.1
            ::ffff:8.8.8.8          | allowed | IPv4-mapped carrying 8.8.8.8
            4000::1                 | refused | unassigned, outside 2000::/3
            1.1.1.1                 | allowed | public IPv4
            8.8.8.8                 | allowed | public IPv4
            93.184.216.34           | allowed | public IPv4
            100.63.255.255          | allowed | just below 100.64/10
            100.128.0.0             | allowed | just above 100.64/10
            172.15.255.255          | allowed | just below 172.16/12
            172.32.0.0              | allowed | just above 172.16/12
            192.0.1.1               | allowed | between 192.0.0/24 and 192.0.2/24
            198.17.255.255          | allowed | just below 198.18/15
            198.20.0.0              | allowed | just above 198.18/15
            223.255.255.254         | allowed | just below multicast
            2606:4700:4700::1111    | allowed | public IPv6
            2a00:1450:4001::200e    | allowed | public IPv6
            2001:200::1             | allowed | just above 2001::/23
            2001:db9::1             | allowed | just above 2001:db8::/32
            3fff:1000::1            | allowed | just above 3fff::/20
            2003::1                 | allowed | just above 2002::/16
            """)
    void should_judge_every_special_purpose_block(String literal, String verdict, String block) throws UnknownHostException {
        assertThat(SpecialAddresses.isPublic(InetAddress.getByName(literal))).as(block).isEqualTo(verdict.equals("allowed"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1        | refused
            127.0.0.1       | refused
            169.254.169.254 | refused
            0.0.0.0         | refused
            8.8.8.8         | allowed
            """)
    void should_judge_an_ipv4_mapped_address_that_stays_ipv6_by_the_address_it_carries(String v4, String verdict)
            throws UnknownHostException {
        // a resolver may hand out ::ffff:a.b.c.d as an Inet6Address (the JDK's parser would make it IPv4)
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName(v4).getAddress(), 0, mapped, 12, 4);
        InetAddress a = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(a).isInstanceOf(Inet6Address.class);
        assertThat(SpecialAddresses.isPublic(a)).as(v4).isEqualTo(verdict.equals("allowed"));
    }
}
