package io.aimp.gateway.providers;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DESIGN §5 for this package: providers use only common; adapters use only the SPI; wire types stay inside. */
class ProvidersArchitectureTest {

    static final JavaClasses CLASSES = importProviders();

    /** Only our classes are needed; resolving Spring and Jackson classes as well would take seconds. */
    private static JavaClasses importProviders() {
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            // the production class folder only: scanning the whole class path for the package is slow
            Path classes = Path.of(ProviderRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(classes.resolve("io/aimp/gateway/providers"));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    @Test
    void should_depend_on_nothing_of_ours_but_common() {
        noClasses().that().resideInAPackage("io.aimp.gateway.providers..")
                .should().dependOnClassesThat(resideInAPackage("io.aimp.gateway..")
                        .and(not(resideInAnyPackage("io.aimp.gateway.providers..", "io.aimp.gateway.common.."))))
                .check(CLASSES);
    }

    @Test
    void should_keep_the_spi_free_of_adapter_packages() {
        noClasses().that().resideInAPackage("io.aimp.gateway.providers")
                .should().dependOnClassesThat().resideInAPackage("io.aimp.gateway.providers.*..")
                .check(CLASSES);
    }

    @Test
    void should_not_let_one_adapter_package_import_another() {
        SlicesRuleDefinition.slices().matching("io.aimp.gateway.providers.(*)..")
                .should().notDependOnEachOther()
                .check(CLASSES);
    }

    @Test
    void should_keep_wire_mapper_and_client_types_package_private() {
        classes().that().resideInAPackage("io.aimp.gateway.providers.*")
                .and().haveSimpleNameEndingWith("Wire").or().haveSimpleNameEndingWith("Mapper")
                .or().haveSimpleNameEndingWith("Client")
                .should().notBePublic()
                .check(CLASSES);
    }
}
