package io.supernode.embedding;

import io.supernode.gas.path.FabricPair;
import io.supernode.gas.fault.ConfigFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding paths compute the same pooled outputs, never read a stale row, and cost what they should. */
class EmbeddingPathsTest {

    /** 4 nodes, 4 tables of 20,000 rows x 16 floats, a batch of 128, bags of 10: seconds, not minutes. */
    static final EmbeddingConfig SMALL = EmbeddingConfig.DEFAULT.withRows(20_000).withShape(4, 4, 128, 10, 2)
            .withMachine(16, FabricPair.UB_VS_ROCE, 7).withCacheLines(4096);

    static Map<EmbeddingSetup, EmbeddingResult> runAll(EmbeddingConfig config) {
        Map<EmbeddingSetup, EmbeddingResult> results = new EnumMap<>(EmbeddingSetup.class);
        for (EmbeddingSetup path : EmbeddingSetup.values()) {
            try (EmbeddingWorkload w = new EmbeddingWorkload(config, path)) {
                results.put(path, w.run());
            }
        }
        return results;
    }

    @ParameterizedTest
    @EnumSource(Sharding.class)
    void everyPathPoolsTheSameOutputsBitForBit(Sharding sharding) {
        for (Pooling pooling : Pooling.values()) {
            EmbeddingConfig config = SMALL.toBuilder().sharding(sharding).pooling(pooling)
                    .dedup(sharding == Sharding.ROW_RANGE).build();
            Map<EmbeddingSetup, EmbeddingResult> r = runAll(config);
            long unified = r.get(EmbeddingSetup.UNIFIED).outputDigest();
            assertEquals(unified, r.get(EmbeddingSetup.UNIFIED_CACHED).outputDigest(), sharding + " " + pooling + " cached");
            assertEquals(unified, r.get(EmbeddingSetup.COPY).outputDigest(), sharding + " " + pooling + " copy");
        }
    }

    @ParameterizedTest
    @EnumSource(Sharding.class)
    void trainingThroughTheCoherentCacheNeverReadsAStaleRow(Sharding sharding) {
        // Hot rows are cached on every node and rewritten every step; a stale copy would change later outputs.
        EmbeddingConfig config = SMALL.toBuilder().sharding(sharding).training(true).zipfExponent(1.3).build()
                .withShape(4, 2, 128, 10, 4);
        long[] digests = new long[Optimizer.values().length];
        for (Optimizer optimizer : Optimizer.values()) {
            Map<EmbeddingSetup, EmbeddingResult> r = runAll(config.toBuilder().optimizer(optimizer).learningRate(0.05f).build());
            long unified = r.get(EmbeddingSetup.UNIFIED).outputDigest();
            assertEquals(unified, r.get(EmbeddingSetup.UNIFIED_CACHED).outputDigest(), optimizer + ": cached path read a stale row");
            assertEquals(unified, r.get(EmbeddingSetup.COPY).outputDigest(), optimizer + ": copy path");
            assertTrue(r.get(EmbeddingSetup.UNIFIED_CACHED).cacheHitRate() > 0.2, "hot rows are reused from the cache");
            digests[optimizer.ordinal()] = unified;
        }
        long inference = runAll(config.toBuilder().training(false).build()).get(EmbeddingSetup.UNIFIED).outputDigest();
        assertTrue(inference != digests[Optimizer.SGD.ordinal()], "training must change what later steps read");
        assertTrue(digests[Optimizer.ROWWISE_ADAGRAD.ordinal()] != digests[Optimizer.SGD.ordinal()],
                "Adagrad scales its steps by the accumulated gradient, so it trains differently from SGD");
    }

    @Test
    void withoutACacheLoadsMoveMoreBytesThanPooledVectorsAndACacheTurnsThatAround() {
        EmbeddingConfig config = SMALL.withShape(4, 4, 256, 20, 3).withZipf(1.2);
        Map<EmbeddingSetup, EmbeddingResult> r = runAll(config);
        EmbeddingResult unified = r.get(EmbeddingSetup.UNIFIED);
        EmbeddingResult cached = r.get(EmbeddingSetup.UNIFIED_CACHED);
        EmbeddingResult copy = r.get(EmbeddingSetup.COPY);
        assertTrue(unified.rowBytesPerStep() > copy.fabricBytesPerStep(), unified + " vs " + copy);
        assertTrue(cached.fabricBytesPerStep() < unified.fabricBytesPerStep(), cached + " vs " + unified);
        assertEquals(0, unified.messagesPerStep());
        assertTrue(copy.messagesPerStep() > 0 && copy.idBytesPerStep() > 0 && copy.pooledBytesPerStep() > 0);
        EmbeddingResult dedup;
        try (EmbeddingWorkload w = new EmbeddingWorkload(config.toBuilder().dedup(true).build(), EmbeddingSetup.UNIFIED)) {
            dedup = w.run();
        }
        assertTrue(dedup.rowBytesPerStep() < unified.rowBytesPerStep(), "de-duplication loads each row once");
        assertEquals(unified.outputDigest(), dedup.outputDigest());
    }

    @Test
    void zipfIdsAreSkewedAndPermuted() {
        ZipfIds ids = new ZipfIds(1_000_000, 1.1, 3);
        var random = new java.util.SplittableRandom(5);
        int[] count = new int[1_000_000];
        for (int i = 0; i < 200_000; i++) {
            count[ids.next(random)]++;
        }
        int top = 0;
        int topRow = -1;
        for (int r = 0; r < count.length; r++) {
            if (count[r] > top) {
                top = count[r];
                topRow = r;
            }
        }
        assertTrue(top > 200_000 / 20, "the hottest row takes a large share under Zipf 1.1: " + top);
        assertTrue(topRow != 0, "rank 1 is permuted away from row 0");
    }

    @Test
    void badWorkloadsAreOneLineErrors() {
        assertThrows(ConfigFault.class, () -> SMALL.withShape(3, 4, 128, 10, 2));
        assertThrows(ConfigFault.class, () -> SMALL.withMachine(12, FabricPair.UB_VS_ROCE, 1));
        assertThrows(ConfigFault.class, () -> SMALL.withZipf(-1));
    }
}
