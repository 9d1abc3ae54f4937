package io.aimp.gateway;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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

    /** Kinds: one executor package each. */
    private static final Set<String> EXECUTORS = Set.of("chat", "assistants", "workflows", "text", "vectors", "content",
            "forms", "images");

    /**
     * DESIGN §5's feature matrix: which features each feature may use, besides itself and {@code common}
     * (everything may), and {@code storage} (every feature with a store may; the rules above keep it out
     * of {@code common}, {@code egress} and {@code providers}). A feature missing here fails the rule,
     * so a new package states its place. Where the code needs more than §5 says, the entry says why.
     */
    private static final Map<String, Set<String>> MAY_USE = matrix();

    private static Map<String, Set<String>> matrix() {
        Map<String, Set<String>> m = new HashMap<>();
        // the HTTP edge resolves the caller (auth) for every route
        m.put("api", Set.of("auth"));
        m.put("common", Set.of());
        m.put("auth", Set.of());
        // the marketplace lists the models the caller's workspace may see
        m.put("catalog", Set.of("auth"));
        m.put("providers", Set.of());
        m.put("egress", Set.of());
        m.put("storage", Set.of());
        // limits, billing and logs record who did what: the caller (auth); billing prices by the release's
        // pricing and kind, which the catalog owns
        m.put("limits", Set.of("auth"));
        m.put("billing", Set.of("auth", "catalog", "idempotency"));
        m.put("logs", Set.of("auth"));
        // one Idempotency-Key rule for every POST that executes, creates or moves money (runs, jobs, top-ups):
        // keys are per workspace and caller
        m.put("idempotency", Set.of("auth"));
        m.put("media", Set.of("auth"));
        // Known exception: runs → media. RunService checks every media ref of a run's input (it exists, is
        // the workspace's, has a kind the mode's schema accepts) once for every kind, before any money is
        // reserved; in each executor the check would be repeated, and as a media-side run hook it would
        // make media depend on runs.
        m.put("runs", Set.of("catalog", "providers", "limits", "billing", "logs", "auth", "media", "idempotency"));
        // entry points onto the run pipeline, like mcp: bulk jobs submit each item as a run
        m.put("mcp", Set.of("auth", "catalog", "runs", "vectors", "media", "logs"));
        m.put("console", Set.of("auth", "catalog", "runs", "vectors", "media", "logs", "billing", "limits", "jobs"));
        m.put("jobs", Set.of("auth", "catalog", "runs", "idempotency", "webhooks"));
        // webhooks: endpoints per workspace (auth), run.completed from a run hook (runs), deliveries through the
        // egress client; features publish their events into it (jobs, and those to come)
        m.put("webhooks", Set.of("auth", "runs", "egress"));
        // the playground runs targets through the run pipeline (as the caller), checks evaluation answers with the
        // catalog's JSON Schema validator and reads the tool calls an assistant run logged (logs); async suites run
        // as bulk jobs (jobs) and its POSTs take an Idempotency-Key (idempotency)
        m.put("playground", Set.of("auth", "catalog", "runs", "logs", "jobs", "idempotency"));
        // executors: providers, vectors, media and runs per §5; also the published model's settings
        // (catalog), the caller (auth) and the egress client for tools that fetch for the caller
        Set<String> executor = Set.of("providers", "vectors", "media", "runs", "catalog", "auth", "egress");
        for (String kind : EXECUTORS) {
            m.put(kind, executor);
        }
        // an assistant is a chat with tools: it builds its prompt and retrieves passages with chat's code
        m.put("assistants", union(executor, Set.of("chat")));
        return Map.copyOf(m);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    /** The feature a package belongs to ({@code providers.openai} → {@code providers}); null for the root. */
    private static String feature(String packageName) {
        String prefix = "io.aimp.gateway.";
        if (!packageName.startsWith(prefix)) {
            return null;
        }
        String rest = packageName.substring(prefix.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    @ArchTest
    static final ArchRule features_use_only_what_the_design_matrix_allows = classes()
            .that().resideInAPackage("io.aimp.gateway.*..")
            .should(new ArchCondition<JavaClass>("use only the features DESIGN §5 allows") {
                @Override
                public void check(JavaClass c, ConditionEvents events) {
                    String from = feature(c.getPackageName());
                    if (from == null) {
                        return;
                    }
                    Set<String> allowed = MAY_USE.get(from);
                    if (allowed == null) {
                        events.add(SimpleConditionEvent.violated(c, "feature " + from + " (" + c.getName()
                                + ") has no row in ArchitectureTest's matrix"));
                        return;
                    }
                    for (Dependency d : c.getDirectDependenciesFromSelf()) {
                        String to = feature(d.getTargetClass().getPackageName());
                        boolean fine = to == null ? !d.getTargetClass().getPackageName().equals("io.aimp.gateway")
                                : to.equals(from) || to.equals("common") || allowed.contains(to)
                                        || (to.equals("storage") && !MAY_NOT_USE_STORAGE.contains(from));
                        if (!fine) {
                            events.add(SimpleConditionEvent.violated(d, from + " → " + to + ": " + d.getDescription()));
                        }
                    }
                }
            })
            .because("DESIGN §5 names the features each feature may use; a new arrow is a design decision");

    private static final Set<String> MAY_NOT_USE_STORAGE = Set.of("common", "egress", "providers");

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
