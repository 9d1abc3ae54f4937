package io.aimp.gateway.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads the whole catalog: the demo models from the classpath folder {@code catalog/}, then every
 * {@code *.yaml} / {@code *.yml} file in {@code aimp.catalog-dir}. Files are read in name order so every node
 * loads the same catalog the same way.
 */
final class CatalogLoader {

    private final CatalogFileParser parser;

    /** @param kinds the kinds this gateway runs: a file of another kind is refused */
    CatalogLoader(Set<String> providerNames, Collection<? extends KindSettings<?>> kinds) {
        this.parser = new CatalogFileParser(providerNames, kinds);
    }

    Set<Kind> kinds() {
        return parser.kinds();
    }

    /**
     * @throws CatalogException listing every problem of every file, when any file is invalid, two files share a
     *                          slug or id, or the configured directory does not exist
     */
    List<PublishedModel> load(CatalogProperties properties) {
        List<Source> sources = new ArrayList<>();
        if (properties.demoCatalog()) {
            sources.addAll(demoSources());
        }
        if (properties.catalogDir() != null) {
            sources.addAll(directorySources(properties.catalogDir()));
        }
        return load(sources);
    }

    List<PublishedModel> load(List<Source> sources) {
        List<String> problems = new ArrayList<>();
        List<PublishedModel> models = new ArrayList<>();
        Map<String, PublishedModel> bySlug = new HashMap<>();
        Map<String, PublishedModel> byId = new HashMap<>();
        for (Source source : sources) {
            PublishedModel model = parser.parse(source.name(), source.text(), problems);
            if (model == null) {
                continue;
            }
            PublishedModel sameSlug = bySlug.putIfAbsent(model.slug(), model);
            PublishedModel sameId = byId.putIfAbsent(model.id(), model);
            if (sameSlug != null) {
                problems.add(source.name() + ": slug '" + model.slug() + "' is already used by " + sameSlug.source()
                        + " (slugs are unique; the demo catalog can be turned off with aimp.demo-catalog=false)");
            } else if (sameId != null) {
                problems.add(source.name() + ": id '" + model.id() + "' is already used by " + sameId.source());
            } else {
                models.add(model);
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return List.copyOf(models);
    }

    /** One catalog file's name (for messages) and text. */
    record Source(String name, String text) {
    }

    private static List<Source> demoSources() {
        var resolver = new PathMatchingResourcePatternResolver(CatalogLoader.class.getClassLoader());
        try {
            List<Resource> resources = new ArrayList<>();
            resources.addAll(Arrays.asList(resolver.getResources("classpath:catalog/*.yaml")));
            resources.addAll(Arrays.asList(resolver.getResources("classpath:catalog/*.yml")));
            resources.sort(Comparator.comparing(r -> String.valueOf(r.getFilename())));
            List<Source> sources = new ArrayList<>();
            for (Resource r : resources) {
                sources.add(new Source("classpath:catalog/" + r.getFilename(), r.getContentAsString(StandardCharsets.UTF_8)));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo catalog from the classpath", e);
        }
    }

    private static List<Source> directorySources(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CatalogException(List.of("aimp.catalog-dir (AIMP_CATALOG_DIR) '" + dir
                    + "' is not a directory: create it or unset the setting"));
        }
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(CatalogLoader::isCatalogFile).sorted().toList()) {
                try {
                    sources.add(new Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new CatalogException(List.of(file + ": cannot be read: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new CatalogException(List.of("aimp.catalog-dir (AIMP_CATALOG_DIR) '" + dir + "' cannot be listed: "
                    + e.getMessage()));
        }
        return sources;
    }

    private static boolean isCatalogFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }
}
