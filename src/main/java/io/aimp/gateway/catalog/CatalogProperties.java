package io.aimp.gateway.catalog;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where published models come from.
 *
 * @param catalogDir  a directory of catalog files ({@code *.yaml}, {@code *.yml}, not recursive), or {@code null};
 *                    {@code aimp.catalog-dir}, env {@code AIMP_CATALOG_DIR}
 * @param demoCatalog whether the demo models inside the jar are published ({@code aimp.demo-catalog}, default true)
 */
@ConfigurationProperties("aimp")
public record CatalogProperties(Path catalogDir, @DefaultValue("true") boolean demoCatalog) {
}
