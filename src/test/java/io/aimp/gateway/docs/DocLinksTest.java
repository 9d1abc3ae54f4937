package io.aimp.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README stays a quick start with links, and every relative link of the documentation leads to a file. */
class DocLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void should_keep_the_readme_short_with_the_two_commands_first() throws IOException {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        assertThat(readme.size()).isLessThan(150);
        assertThat(readme.get(3)).startsWith("bin/aimp-gateway   #");
        assertThat(readme.get(4)).startsWith("./mvnw verify      #");
        assertThat(String.join("\n", readme)).contains("docs/configuration.md").contains("docs/api.md").contains("docs/features.md");
    }

    @Test
    void should_resolve_every_relative_link_of_the_readme_and_docs() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.exists(page.toAbsolutePath().getParent().resolve(target).normalize())) {
                    broken.add(page + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }
}
