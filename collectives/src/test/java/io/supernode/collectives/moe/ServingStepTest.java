package io.supernode.collectives.moe;

import io.supernode.collectives.run.Transport;
import io.supernode.collectives.team.Team;
import io.supernode.gas.Presets;
import io.supernode.gas.Supernode;
import io.supernode.gas.fault.ConfigFault;
import io.supernode.gas.messaging.CopyStack;
import io.supernode.gas.messaging.MessagePlane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.supernode.serving.profile.HardwareProfile;
import io.supernode.serving.profile.ModelProfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serving step's roofline and overlap behave as their mechanisms say; dense models and bad teams are refused. */
class ServingStepTest {

    private static Supernode machine;
    private static MessagePlane plane;

    @BeforeAll
    static void boot() {
        machine = Supernode.boot(Presets.h800Cluster());
        plane = new MessagePlane(machine, CopyStack.IB_GPUDIRECT, MessagePlane.Service.INLINE);
    }

    @AfterAll
    static void close() {
        machine.close();
    }

    private static StepResult decode(int ranks, int batch, boolean overlap, Transport transport) {
        return ServingStep.run(machine.topology(), plane, Team.world(ranks), ModelProfile.DEEPSEEK_V3,
                HardwareProfile.H800, StepResult.StepKind.DECODE, batch, 4096, overlap, new Routing.GroupLimited(4),
                transport, 1);
    }

    @Test
    void atASmallBatchTheExpertsAreMemoryBoundAndWiderParallelismShrinksThem() {
        StepResult ep32 = decode(32, 4, false, Transport.UNIFIED);
        StepResult ep64 = decode(64, 4, false, Transport.UNIFIED);
        ModelProfile m = ModelProfile.DEEPSEEK_V3;
        HardwareProfile h = HardwareProfile.H800;
        // 4 sequences x 8 experts x 32 ranks = 1024 pairs over 256 experts: nearly every local expert is read.
        double touched = 8 * -Math.expm1(-4.0 * 32 * 8 / 256);
        double bytes = m.experts().expertParams(m.hidden()) * (touched + 1);
        assertEquals(bytes / (h.hbmBytesPerSecond() * h.bandwidthUtilization()) * 1e6, ep32.expertsMicros(), 1e-6);
        assertTrue(ep64.expertsMicros() < ep32.expertsMicros());
        assertTrue(ep64.weightBytesPerRank() < ep32.weightBytesPerRank());
    }

    @Test
    void overlapHidesTheSmallerOfCommunicationAndComputeAndTheCopyPathCostsMore() {
        for (int ranks : new int[] {16, 64}) {
            StepResult whole = decode(ranks, 128, false, Transport.UNIFIED);
            StepResult overlapped = decode(ranks, 128, true, Transport.UNIFIED);
            StepResult copy = decode(ranks, 128, false, Transport.COPY);
            assertTrue(overlapped.moeLayerMicros() <= whole.moeLayerMicros(), "EP" + ranks);
            assertEquals(whole.attentionMicros() + whole.expertsMicros() + whole.dispatchMicros() + whole.combineMicros(),
                    whole.moeLayerMicros(), 1e-6);
            assertTrue(copy.dispatchMicros() > whole.dispatchMicros(), "EP" + ranks);
            assertTrue(copy.stepMicros() > whole.stepMicros(), "EP" + ranks);
            assertEquals(128 / (whole.stepMicros() / 1e6), whole.tokensPerSecondPerRank(), 1e-6);
        }
    }

    @Test
    void atALargeBatchOverlapPaysAndAtATinyOneTheWholeBatchRuns() {
        assertTrue(decode(64, 256, true, Transport.UNIFIED).moeLayerMicros()
                < decode(64, 256, false, Transport.UNIFIED).moeLayerMicros());
        assertEquals(decode(16, 2, false, Transport.UNIFIED).moeLayerMicros(),
                decode(16, 2, true, Transport.UNIFIED).moeLayerMicros(), 1e-6);
    }

    @Test
    void eightGpusCannotHoldDeepSeekV3AndSixtyFourCan() {
        assertFalse(decode(8, 32, true, Transport.UNIFIED).fits());
        assertTrue(decode(64, 32, true, Transport.UNIFIED).fits());
    }

    @Test
    void badModelsAndTeamsAreTypedFaults() {
        assertThrows(ConfigFault.class, () -> decode(16, 1, true, Transport.UNIFIED));
        // A dense model has no experts to dispatch to.
        assertThrows(ConfigFault.class, () -> ServingStep.run(machine.topology(), plane, Team.world(16),
                ModelProfile.LLAMA3_1_70B, HardwareProfile.H800, StepResult.StepKind.DECODE, 8, 64, true,
                new Routing.Uniform(), Transport.UNIFIED, 1));
        // A team larger than the machine is a typed fault, not an index error.
        try (Supernode small = Supernode.boot(Presets.small())) {
            assertThrows(ConfigFault.class, () -> ServingStep.run(small.topology(), plane, Team.world(16),
                    ModelProfile.DEEPSEEK_V3, HardwareProfile.H800, StepResult.StepKind.DECODE, 8, 64, true,
                    new Routing.Uniform(), Transport.UNIFIED, 1));
        }
        assertThrows(ConfigFault.class, () -> ServingStep.run(machine.topology(), plane, Team.world(12),
                ModelProfile.DEEPSEEK_V3, HardwareProfile.H800, StepResult.StepKind.PREFILL, 64, 64, true,
                new Routing.Uniform(), Transport.UNIFIED, 1));
    }

    @Test
    void qwen3sExpertsServeOverTheFabricToo() {
        StepResult qwen = ServingStep.run(machine.topology(), plane, Team.world(32), ModelProfile.QWEN3_235B_A22B,
                HardwareProfile.H800, StepResult.StepKind.DECODE, 32, 4096, true, new Routing.Uniform(),
                Transport.UNIFIED, 1);
        assertTrue(qwen.stepMicros() > 0 && qwen.fits());
    }
}
