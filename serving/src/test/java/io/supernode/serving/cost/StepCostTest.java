package io.supernode.serving.cost;

import io.supernode.gas.fault.ConfigFault;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step cost meets the published figures it was fitted to, and its mechanisms behave as they should. */
class StepCostTest {

    private static final StepCost LLAMA_8B = new StepCost(ModelProfile.LLAMA3_1_8B, HardwareProfile.H100, 1);

    private static String table() {
        return Fidelity.points().stream().map(p -> String.format(Locale.ROOT, "%-9s %-55s published %8.2f ms modeled %8.2f"
                        + " (%+.1f %%)", p.role(), p.what(), p.publishedMillis(), p.modeledMillis(), p.errorPercent()))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void meetsEveryCalibrationPointWithinFifteenPercent() {
        long calibration = Fidelity.points().stream().filter(p -> p.role() == Fidelity.Role.CALIBRATION).count();
        assertEquals(10, calibration);
        for (Fidelity.Point p : Fidelity.points()) {
            if (p.role() == Fidelity.Role.CALIBRATION) {
                assertTrue(Math.abs(p.errorPercent()) <= 15, p.what() + "\n" + table());
            }
        }
    }

    @Test
    void meetsTheHeldOutTwoGpuH100PrefillsWithinFifteenPercent() {
        // Splitwise's Llama 2 70B on two H100s, FP16: a precision and a harness the fit never saw.
        assertHeldOutWithinFifteenPercent("2 H100 TP2, prefill", 4);
    }

    @Test
    void meetsTheHeldOutLongPromptsFromTenThousandToHalfAMillionTokensWithinFifteenPercent() {
        // MInference's Llama 3 8B on one A100 in BF16: another GPU, precision and harness, and prompts where attention
        // over the context grows to most of the work (about 65 % of the FLOPs at 100,000 tokens): a prefill linear in
        // the tokens, scaled from the 0.976 s measured at 10,000, would give 500,000 in 48.8 s against 457 s.
        assertHeldOutWithinFifteenPercent("1 A100, prefill", 6);
    }

    /** Every held-out point whose description contains {@code marker}, {@code count} of them, is within 15 %. */
    private static void assertHeldOutWithinFifteenPercent(String marker, int count) {
        long checked = Fidelity.points().stream().filter(p -> p.role() == Fidelity.Role.HELD_OUT
                && p.what().contains(marker)).peek(p ->
                assertTrue(Math.abs(p.errorPercent()) <= 15, p.what() + "\n" + table())).count();
        assertEquals(count, checked);
    }

    @Test
    void attentionOverTheCachedPrefixCostsSoReuseGainsLessThanItsShare() {
        // 8,000-token prompts, 75 % of them cached: computing a quarter of the tokens takes more than a quarter of
        // the time, since the new tokens attend over the whole context and every step pays its fixed costs.
        long whole = LLAMA_8B.prefillNanos(8000, 0);
        long rest = LLAMA_8B.prefillNanos(2000, 6000);
        assertTrue(rest > LLAMA_8B.prefillNanos(2000, 0), "the cached prefix is attended to");
        assertTrue((double) whole / rest < 4.0, whole + " vs " + rest);
        assertTrue((double) whole / rest > 2.0, whole + " vs " + rest);
    }

    @Test
    void decodeIsMemoryBoundAtBatchOneAndComputeBoundAtLargeBatches() {
        StepTime one = LLAMA_8B.time(StepLoad.decode(1, 1000));
        StepTime many = LLAMA_8B.time(StepLoad.decode(1024, 1000));
        assertFalse(one.computeBound());
        assertTrue(LLAMA_8B.time(StepLoad.prefill(4096, 0)).computeBound());
        // A batch shares the weights' read: 1,024 sequences cost far less than 1,024 steps of one.
        assertTrue(many.totalNanos() < 64 * one.totalNanos());
        // Batch 1 reads 16 GB of BF16 weights at 62 % of 3.35 TB/s: 7.7 ms, plus the KV and the overhead.
        assertEquals(ModelProfile.LLAMA3_1_8B.totalParams() - ModelProfile.LLAMA3_1_8B.headParams(),
                one.memoryNanos() / 1e9 * 3.35e12 * 0.62 / 2 - 1000 * 131072 / 2.0, 0.01e9);
    }

    @Test
    void aMixtureOfExpertsReadsOnlyTheExpertsItsTokensPick() {
        StepCost v3 = new StepCost(ModelProfile.DEEPSEEK_V3, HardwareProfile.H800, 8);
        long one = v3.time(StepLoad.decode(1, 4096)).memoryNanos();
        long wide = v3.time(StepLoad.decode(256, 4096)).memoryNanos();
        long kvOnly = Math.round(256 * 4096.0 * ModelProfile.DEEPSEEK_V3.kvBytesPerToken()
                / (8 * 3.35e12 * HardwareProfile.FITTED_BANDWIDTH_UTILIZATION) * 1e9);
        // One token picks 8 of 256 experts per layer; 256 tokens pick nearly all of them.
        assertTrue(wide - kvOnly > 10 * (one - kvOnly / 256), one + " " + wide);
    }

    @Property(tries = 300)
    void batchingTwoLoadsCostsNoMoreThanTwoStepsAndNoLessThanEither(
            @ForAll("promptTokens") int promptTokens, @ForAll("contexts") long cached, @ForAll("sequences") int sequences,
            @ForAll("contexts") long context, @ForAll("groups") int group) {
        StepCost cost = new StepCost(ModelProfile.QWEN3_235B_A22B, HardwareProfile.H100, group);
        StepLoad prefill = StepLoad.prefill(promptTokens, cached);
        StepLoad decode = StepLoad.decode(sequences, context);
        long together = cost.nanos(prefill.plus(decode));
        assertTrue(together <= cost.nanos(prefill) + cost.nanos(decode));
        assertTrue(together >= Math.max(cost.nanos(prefill), cost.nanos(decode)));
    }

    // Each parameter's edge cases are its bounds alone: jqwik's usual five or so per parameter, over five parameters,
    // would be more combinations than the tries.
    @Provide
    Arbitrary<Integer> promptTokens() {
        return Arbitraries.integers().between(1, 16_384).edgeCases(c -> c.includeOnly(1, 16_384));
    }

    @Provide
    Arbitrary<Long> contexts() {
        return Arbitraries.longs().between(0, 32_768).edgeCases(c -> c.includeOnly(0L, 32_768L));
    }

    @Provide
    Arbitrary<Integer> sequences() {
        return Arbitraries.integers().between(1, 512).edgeCases(c -> c.includeOnly(1, 512));
    }

    @Provide
    Arbitrary<Integer> groups() {
        return Arbitraries.integers().between(1, 8).edgeCases(c -> c.includeOnly(1, 8));
    }

    @Test
    void badGroupsAndLoadsAreTypedFaults() {
        assertThrows(ConfigFault.class, () -> new StepCost(ModelProfile.LLAMA3_1_8B, HardwareProfile.H100, 0));
        HardwareProfile noLink = new HardwareProfile("npu", 400e12, 800e12, 1.6e12, 64_000_000_000L, 0, 0.5, 0.6, "A");
        assertThrows(ConfigFault.class, () -> new StepCost(ModelProfile.LLAMA3_1_8B, noLink, 2));
        assertEquals(0, new StepCost(ModelProfile.LLAMA3_1_8B, noLink, 1).nanos(StepLoad.EMPTY));
        assertThrows(ConfigFault.class, () -> StepLoad.prefill(0, 10));
        assertThrows(ConfigFault.class, () -> StepLoad.decode(0, 10));
        assertThrows(ConfigFault.class, () -> StepLoad.decode(-1));
    }
}
