package io.aimp.gateway.support;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The test JVM's name resolver (registered in META-INF/services, loaded once per JVM): names under
 * {@value #SUFFIX} answer what a test scripted for them, look-up after look-up, whatever their case
 * or trailing dot (as DNS would); every other name goes to the JDK's built-in resolver, so tests
 * that do not script names are unaffected. The JVM caches answers per exact spelling: a test uses
 * fresh names ({@link #fresh}) for every case.
 */
public final class ScriptedResolver extends InetAddressResolverProvider {

    public static final String SUFFIX = ".egress.test";

    private static final Map<String, Script> SCRIPTS = new ConcurrentHashMap<>();
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A name under {@value #SUFFIX} no test used before: {@code label-N.egress.test}. */
    public static String fresh(String label) {
        return label + "-" + NAMES.incrementAndGet() + SUFFIX;
    }

    /** The n-th look-up of {@code name} answers {@code answers[n]}; look-ups after the last answer the last again. */
    @SafeVarargs
    public static void script(String name, List<InetAddress> first, List<InetAddress>... later) {
        SCRIPTS.put(key(name), new Script(Stream.concat(Stream.of(first), Stream.of(later)).toList()));
    }

    /** The spellings {@code name} was looked up with, in order. */
    public static List<String> lookups(String name) {
        Script s = SCRIPTS.get(key(name));
        return s == null ? List.of() : List.copyOf(s.asked);
    }

    public static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static String key(String name) {
        String k = name.toLowerCase(Locale.ROOT);
        return k.endsWith(".") ? k.substring(0, k.length() - 1) : k;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                String key = key(host);
                if (!key.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, policy);
                }
                Script s = SCRIPTS.get(key);
                if (s == null) {
                    throw new UnknownHostException(host);
                }
                return s.next(host).stream();
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "scripted test names, built-in for the rest";
    }

    private record Script(List<List<InetAddress>> answers, List<String> asked) {

        Script(List<List<InetAddress>> answers) {
            this(answers, new CopyOnWriteArrayList<>());
        }

        List<InetAddress> next(String spelling) {
            asked.add(spelling);
            return answers.get(Math.min(asked.size() - 1, answers.size() - 1));
        }
    }
}
