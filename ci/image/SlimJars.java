import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Slims the dependency jars of the container image (app/lib), leaving what the JVM loads from them as it
 * was: every class and resource the image can use keeps its bytes, only the way the jar stores them changes.
 * <ul>
 * <li>Entries of a jar that the image never loads go: each rule {@code NAME=REGEX} removes the entries whose
 * path matches REGEX from the jars named {@code NAME-<version>.jar} (the native libraries of other platforms,
 * for example).</li>
 * <li>A jar that stores its entries without compression (GraalJS, Truffle and the regex engine ship that
 * way: 45 MB of class files) is compressed.</li>
 * </ul>
 * A rewritten jar keeps its entries' order, names, times and contents; entries are deflated at level 9. A
 * signed jar is never rewritten (a rule that would change one fails). Jars neither rule touches are left
 * byte for byte. The native libraries (.so) left in the jars are copied to NATIVESDIR/JAR/, where the build
 * checks that the base image has every library they need.
 * Usage: java SlimJars.java LIBDIR NATIVESDIR [NAME=REGEX ...]
 */
class SlimJars {
  /** Rewritten when more than this share of a jar's bytes is stored uncompressed. */
  private static final double STORED_SHARE = 0.10;

  record Rule(String jarPrefix, Pattern entries) { }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Path natives = Path.of(args[1]);
    List<Rule> rules = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("a rule is NAME=REGEX: " + args[i]);
      }
      rules.add(new Rule(args[i].substring(0, eq) + "-", Pattern.compile(args[i].substring(eq + 1))));
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
    long before = 0;
    long after = 0;
    for (Path jar : jars) {
      String name = jar.getFileName().toString();
      List<Pattern> remove = rules.stream().filter(r -> name.startsWith(r.jarPrefix())
              && name.length() > r.jarPrefix().length() && Character.isDigit(name.charAt(r.jarPrefix().length())))
          .map(Rule::entries).toList();
      long size = Files.size(jar);
      before += size;
      boolean matched = !remove.isEmpty();
      if (matched || storedShare(jar) > STORED_SHARE) {
        int removed = rewrite(jar, remove);
        if (matched && removed == 0) {
          throw new IllegalStateException(name + ": its rule matched no entry (did the jar's layout change?)");
        }
        long now = Files.size(jar);
        System.err.printf("image: %s: %.1f -> %.1f MB (%d entries removed)%n", name, size / 1e6, now / 1e6, removed);
        size = now;
      }
      after += size;
      copyNatives(jar, natives.resolve(name));
    }
    System.err.printf("image: libraries %.1f -> %.1f MB%n", before / 1e6, after / 1e6);
  }

  static void copyNatives(Path jar, Path into) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry e = entries.nextElement();
        String file = e.getName().substring(e.getName().lastIndexOf('/') + 1);
        if (!e.isDirectory() && (file.endsWith(".so") || file.contains(".so."))) {
          Files.createDirectories(into);
          try (var data = zip.getInputStream(e)) {
            Files.copy(data, into.resolve(file), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  static double storedShare(Path jar) throws IOException {
    long stored = 0;
    long all = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry e = entries.nextElement();
        all += Math.max(0, e.getCompressedSize());
        if (e.getMethod() == ZipEntry.STORED) {
          stored += Math.max(0, e.getSize());
        }
      }
    }
    return all == 0 ? 0 : (double) stored / all;
  }

  /** Rewrites {@code jar} without the entries {@code remove} matches, all deflated; returns how many went. */
  static int rewrite(Path jar, List<Pattern> remove) throws IOException {
    Path out = jar.resolveSibling(jar.getFileName() + ".tmp");
    int removed = 0;
    try (ZipFile in = new ZipFile(jar.toFile())) {
      for (var entries = in.entries(); entries.hasMoreElements(); ) {
        String n = entries.nextElement().getName();
        if (n.startsWith("META-INF/") && (n.endsWith(".SF") || n.endsWith(".RSA") || n.endsWith(".DSA") || n.endsWith(".EC"))) {
          throw new IllegalStateException(jar.getFileName() + " is signed: not rewritten");
        }
      }
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
        zip.setLevel(Deflater.BEST_COMPRESSION);
        for (var entries = in.entries(); entries.hasMoreElements(); ) {
          ZipEntry entry = entries.nextElement();
          String name = entry.getName();
          if (remove.stream().anyMatch(p -> p.matcher(name).matches())) {
            removed++;
            continue;
          }
          ZipEntry copy = new ZipEntry(entry);
          copy.setMethod(ZipEntry.DEFLATED);
          copy.setCompressedSize(-1);
          zip.putNextEntry(copy);
          try (var data = in.getInputStream(entry)) {
            data.transferTo(zip);
          }
          zip.closeEntry();
        }
      }
    }
    Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
    return removed;
  }
}
