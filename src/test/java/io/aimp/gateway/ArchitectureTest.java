package io.aimp.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of DESIGN §5, checked on the product's classes (tests excluded). Rules about
 * packages that do not exist yet pass while they are empty and start to bite when the package
 * appears.
 */
@AnalyzeClasses(packages = "io.aimp.gateway",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NotGenerated.class})
class ArchitectureTest {

    /**
     * Leaves out what Spring AOT generates into the build's classes (bean definitions, CGLIB
     * subclasses): they wire every package together by design.
     */
    static final class NotGenerated implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("__") && !location.contains("$$SpringCGLIB$$");
        }
    }

    private static final String OURS = "io.aimp.gateway..";

    @ArchTest
    static final ArchRule common_uses_nothing_of_ours = noClasses()
            .that().resideInAPackage("io.aimp.gateway.common..")
            .should().dependOnClassesThat(resideInAPackage(OURS).and(not(resideInAPackage("io.aimp.gateway.common.."))))
            .because("everything may use common, and common uses nothing of ours");

    @ArchTest
    static final ArchRule nothing_imports_the_http_edge = noClasses()
            .that().resideOutsideOfPackage("io.aimp.gateway.api..")
            .should().dependOnClassesThat().resideInAPackage("io.aimp.gateway.api..")
            .because("api is the HTTP edge: errors become problem JSON there and nowhere else");

    @ArchTest
    static final ArchRule nothing_imports_the_composition_root = noClasses()
            .that().doNotHaveFullyQualifiedName(Application.class.getName())
            .should().dependOnClassesThat().haveFullyQualifiedName(Application.class.getName())
            .because("Application is the composition root");

    @ArchTest
    static final ArchRule egress_uses_only_common = noClasses()
            .that().resideInAPackage("io.aimp.gateway.egress..")
            .should().dependOnClassesThat(resideInAPackage(OURS)
                    .and(not(resideInAnyPackage("io.aimp.gateway.egress..", "io.aimp.gateway.common.."))))
            .because("every feature that calls out for a caller uses the egress client, so it depends on none of them");

    @ArchTest
    static final ArchRule calls_for_callers_go_out_only_through_egress = noClasses()
            .that().resideOutsideOfPackages("io.aimp.gateway.egress..", "io.aimp.gateway.providers..",
                    "io.aimp.gateway.media..")
            .should().dependOnClassesThat().resideInAPackage("java.net.http..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.Socket")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URLConnection")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
            .because("an outbound call made for a caller goes through egress (resolve once, check every address,"
                    + " connect to the checked one); provider base URLs and the blob store are operator configuration");

    @ArchTest
    static final ArchRule storage_uses_only_common = noClasses()
            .that().resideInAPackage("io.aimp.gateway.storage..")
            .should().dependOnClassesThat(resideInAPackage(OURS)
                    .and(not(resideInAnyPackage("io.aimp.gateway.storage..", "io.aimp.gateway.common.."))))
            .because("stores depend on storage, never the other way round");

    @ArchTest
    static final ArchRule providers_use_only_providers_and_common = noClasses()
            .that().resideInAPackage("io.aimp.gateway.providers..")
            .should().dependOnClassesThat(resideInAPackage(OURS)
                    .and(not(resideInAnyPackage("io.aimp.gateway.providers..", "io.aimp.gateway.common.."))))
            .allowEmptyShould(true)
            .because("provider adapters depend only on the provider SPI and common");

    @ArchTest
    static final ArchRule no_provider_imports_another = slices()
            .matching("io.aimp.gateway.providers.(*)..")
            .should().notDependOnEachOther()
            .allowEmptyShould(true)
            .because("each provider package stands alone; shared code lives in providers itself");

    @ArchTest
    static final ArchRule only_the_run_meter_reaches_providers = noClasses()
            .that().resideOutsideOfPackages("io.aimp.gateway.providers..", "io.aimp.gateway.runs..")
            .and().doNotHaveFullyQualifiedName(Application.class.getName())
            .should().dependOnClassesThat().haveFullyQualifiedName("io.aimp.gateway.providers.Router")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.aimp.gateway.providers.ProviderRegistry")
            .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                    com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
                                    "io.aimp.gateway.providers.Provider"))))
            .because("every provider call made for a run goes through the run's metered path (Execution.chat/embed): "
                    + "deadline, hold, explicit output cap and a logged, charged attempt (DESIGN §2)");

    @ArchTest
    static final ArchRule feature_slices_are_free_of_cycles = slices()
            .matching("io.aimp.gateway.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule no_test_code_in_the_product = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.junit..", "org.assertj..", "org.mockito..", "org.awaitility..", "com.tngtech.archunit..",
                    "com.github.tomakehurst..", "org.wiremock..", "org.springframework.test..", "org.springframework.boot.test..")
            .because("test fakes and test tools live under src/test, never in the product");

    @ArchTest
    static final ArchRule no_test_classes_in_the_product = classes()
            .should().haveSimpleNameNotEndingWith("Test")
            .andShould().haveSimpleNameNotEndingWith("Tests")
            .andShould().haveSimpleNameNotEndingWith("IT")
            .because("tests live under src/test");
}
