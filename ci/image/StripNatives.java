import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Removes the native libraries of other platforms from a dependency jar (ONNX Runtime, tokenizers and
 * SQLite ship one per operating system and CPU): every entry under {@code prefix} that is not under
 * {@code prefix + keep} goes (files directly under {@code prefix} stay), everything else is copied unchanged.
 * Usage: java StripNatives.java JAR PREFIX KEEP, e.g. lib/onnxruntime.jar ai/onnxruntime/native/ linux-x64/
 */
class StripNatives {
  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    String prefix = args[1];
    String kept = prefix + args[2];
    Path out = jar.resolveSibling(jar.getFileName() + ".tmp");
    int removed = 0;
    try (ZipFile in = new ZipFile(jar.toFile());
         OutputStream file = Files.newOutputStream(out);
         ZipOutputStream zip = new ZipOutputStream(file)) {
      for (var entries = in.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        if (otherPlatform(name, prefix, kept)) {
          removed++;
          continue;
        }
        ZipEntry copy = new ZipEntry(entry);
        copy.setCompressedSize(-1); // recompressed: the size may differ
        zip.putNextEntry(copy);
        try (var data = in.getInputStream(entry)) {
          data.transferTo(zip);
        }
        zip.closeEntry();
      }
    }
    Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING);
    System.err.println(jar.getFileName() + ": removed " + removed + " entries of other platforms");
  }

  /** In a platform's folder under the prefix, and not the kept one (or a parent of it). Files directly under
   *  the prefix stay: tokenizers keeps its version file there (native/lib/tokenizers.properties). */
  static boolean otherPlatform(String name, String prefix, String kept) {
    if (!name.startsWith(prefix) || name.indexOf('/', prefix.length()) < 0) {
      return false;
    }
    return !name.startsWith(kept) && !kept.startsWith(name);
  }
}
