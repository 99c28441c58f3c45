package io.supernode.kvcache.serve;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.block.KvDtype;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Replays run side by side give what each gives alone, in the paths' order, and fail as a lone run would. */
class SideBySideTest {

    private static final long SEED = 11;

    private static TraceLoad trace() {
        return SyntheticTraceGenerator.generate(
                new GeneratorOptions(SEED, 150, 3, 96, 1.0, 4, 40, 30, 20, 1, 600, 16));
    }

    private static ReplayOptions options() {
        return ReplayOptions.builder().nodes(4).capacityTokensPerNode(40L * 16)
                .layout(BlockLayout.teaching(16, KvDtype.BF16)).seed(SEED).build();
    }

    @Test
    void eachPathGivesWhatItGivesAloneInThePathsOrder() {
        TraceLoad trace = trace();
        // Reversed, so that order follows the list and not the enum.
        List<ServingSetup> paths = List.of(ServingSetup.POOLED_COPY, ServingSetup.POOLED_UNIFIED, ServingSetup.LOCAL_ONLY);
        AtomicLong heard = new AtomicLong();
        List<ReplayResult> together = Replay.sideBySide(trace, options(), paths, heard::set);
        assertEquals(3L * trace.requests().size(), heard.get(), "progress counts every run's requests");
        for (int i = 0; i < paths.size(); i++) {
            ReplayResult alone = Replay.run(trace, options().toBuilder().path(paths.get(i)).build());
            ReplayResult mine = together.get(i);
            String where = "seed " + SEED + ", " + paths.get(i);
            assertEquals(paths.get(i), mine.options().path(), where);
            assertArrayEquals(alone.digests(), mine.digests(), where);
            assertEquals(alone.reuse(), mine.reuse(), where);
            assertEquals(alone.traffic(), mine.traffic(), where);
            assertArrayEquals(alone.modeled().ttftNanos(), mine.modeled().ttftNanos(), where);
        }
    }

    @Test
    void aFailingRunIsRethrownAsItWasWithTheOthersAttached() {
        class Stop extends RuntimeException {
            Stop() {
                super("stop");
            }
        }
        List<ServingSetup> paths = List.of(ServingSetup.values());
        Stop thrown = assertThrows(Stop.class, () -> Replay.sideBySide(trace(), options(), paths, done -> {
            throw new Stop();
        }));
        assertEquals(paths.size() - 1, thrown.getSuppressed().length);
    }
}
