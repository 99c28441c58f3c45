package io.supernode.cli;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dependencies point one way: every package of every module has a rank, and a class may use classes of
 * its own rank or below, never above (docs/ARCHITECTURE.md draws the same order). The command line sees
 * every module but {@code examples}, which no module may depend on; Maven's class paths already keep
 * a module from importing one it does not declare, and this test keeps the packages inside each
 * module, and the modules' declared dependencies, in order.
 */
class LayeringTest {

    /** Every package under io.supernode, lowest first. */
    static final List<String> LAYERS = List.of(
            "gas.fault", "gas.time", "gas.agent", "gas.memory", "gas.fabric", "gas.stats", "gas.address",
            "gas.access", "gas", "gas.config", "gas.messaging", "gas.path", "gas.runtime",
            "serving.profile", "serving.cost",
            "coherence.protocol", "coherence.transport", "coherence.check", "coherence.access", "coherence",
            "kvcache", "kvcache.block", "kvcache.index", "kvcache.model", "kvcache.tier", "kvcache.trace",
            "kvcache.serve",
            "embedding",
            "collectives.data", "collectives.team", "collectives.schedule", "collectives.run", "collectives.moe",
            "bench.compare", "bench.report", "bench",
            "cli");

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // JMH's generated harness subclasses each benchmark; it is the tool's code, not ours.
            .withImportOption(location -> !location.contains("/jmh_generated/"))
            .importPackages("io.supernode");

    /**
     * The rule over {@link #LAYERS}.
     *
     * @param optionalLayers whether a layer may have no classes (a stale entry in the list fails otherwise)
     */
    static ArchRule layering(boolean optionalLayers) {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInAnyPackage("io.supernode..")
                .withOptionalLayers(optionalLayers);
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy("io.supernode." + layer);
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            rule = rule.whereLayer(LAYERS.get(i)).mayOnlyBeAccessedByLayers(
                    LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new));
        }
        rule = rule.whereLayer(LAYERS.getLast()).mayNotBeAccessedByAnyLayer();
        return rule.as("no class uses a package ranked above its own in LayeringTest.LAYERS (lowest first; "
                + "docs/ARCHITECTURE.md)");
    }

    @Test
    void noClassUsesALayerAboveItsOwn() {
        layering(false).check(MAIN_CLASSES);
    }

    @Test
    void everyPackageHasARank() {
        Set<String> unranked = new TreeSet<>();
        for (JavaClass c : MAIN_CLASSES) {
            String layer = c.getPackageName().substring("io.supernode.".length());
            if (!LAYERS.contains(layer)) {
                unranked.add(layer);
            }
        }
        assertEquals(Set.of(), unranked, "packages with no place in LayeringTest.LAYERS");
    }

    @Test
    void everyModuleIsSeen() {
        Set<String> modules = new TreeSet<>();
        MAIN_CLASSES.forEach(c -> modules.add(c.getPackageName().split("\\.")[2]));
        assertEquals(Set.of("bench", "cli", "coherence", "collectives", "embedding", "gas", "kvcache", "serving"), modules);
    }

    @Test
    void theRuleCatchesAnUpwardImport() {
        JavaClasses withFixture = new ClassFileImporter().importClasses(
                SupernodeCli.class, upwardFixture());
        EvaluationResult result = layering(true).evaluate(withFixture);
        assertTrue(result.hasViolation(), "a class in gas.fault that uses the command line passed the rule");
        assertTrue(result.getFailureReport().toString().contains("UpwardImportFixture"), result.getFailureReport().toString());
        assertFalse(layering(true).evaluate(new ClassFileImporter().importClasses(SupernodeCli.class)).hasViolation());
    }

    private static Class<?> upwardFixture() {
        try {
            return Class.forName("io.supernode.gas.fault.UpwardImportFixture");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
