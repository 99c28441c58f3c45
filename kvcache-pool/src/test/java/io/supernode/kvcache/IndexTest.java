package io.supernode.kvcache;

import io.supernode.kvcache.block.BlockLayout;
import io.supernode.kvcache.index.BlockHash;
import io.supernode.kvcache.index.NodeBlockCache;
import io.supernode.kvcache.index.PlacementPolicy;
import io.supernode.kvcache.index.PrefixIndex;
import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.MooncakeTraceReader;
import io.supernode.kvcache.trace.Request;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Block keys, the per-node LRU with references and pins, and the global view. */
class IndexTest {

    @Test
    void keysAreFixedArithmeticSoTheyAreTheSameInEveryProcess() {
        int[] tokens = {1, 2, 3, 4};
        // Golden values: if these change, caches written by earlier runs stop hitting.
        assertEquals(0xd88b9317d1d69242L, BlockHash.chain(BlockHash.ROOT, tokens, 0, 4, BlockHash.NO_SALT));
        assertEquals(0xcac5cf1c9ddded39L, BlockHash.salt("tenant-a"));
    }

    @Test
    void keysChainSoEqualBlocksAfterDifferentPrefixesDiffer() {
        int[] a = {1, 2, 9, 9};
        int[] b = {1, 3, 9, 9};
        long aFirst = BlockHash.chain(BlockHash.ROOT, a, 0, 2, 0);
        long bFirst = BlockHash.chain(BlockHash.ROOT, b, 0, 2, 0);
        assertNotEquals(BlockHash.chain(aFirst, a, 2, 4, 0), BlockHash.chain(bFirst, b, 2, 4, 0));
        assertNotEquals(BlockHash.chain(BlockHash.ROOT, a, 0, 1, 0), BlockHash.chain(BlockHash.ROOT, a, 0, 2, 0));
    }

    @Test
    void aSaltedTenantNeverHitsAnotherTenantsBlocks(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("shared.jsonl");
        Files.writeString(file, """
                {"timestamp": 0, "input_length": 1000, "output_length": 5, "hash_ids": [0, 1]}
                {"timestamp": 5, "input_length": 1100, "output_length": 5, "hash_ids": [0, 1, 2]}
                """);
        List<Request> requests = new ArrayList<>();
        requests.addAll(new MooncakeTraceReader(false, "tenant-a", 0).read(file).requests());
        requests.addAll(new MooncakeTraceReader(false, "tenant-b", 0).read(file).requests());
        TraceLoad both = new TraceLoad("two tenants", requests, 0, List.of());
        ReplayOptions options = ReplayOptions.builder().nodes(1).path(ServingSetup.LOCAL_ONLY)
                .capacityTokensPerNode(1L << 30).payload(false).build();
        ReplayResult result = Replay.run(both, options);
        // Each tenant's second request reuses its own first two blocks; neither reuses the other's.
        assertEquals(4, result.reuse().localHits());
        TraceLoad unsalted = new MooncakeTraceReader(false, null, 0).read(file);
        TraceLoad twice = new TraceLoad("no tenants", List.of(unsalted.requests().get(0), unsalted.requests().get(1),
                unsalted.requests().get(0), unsalted.requests().get(1)), 0, List.of());
        assertEquals(7, Replay.run(twice, options).reuse().localHits(),
                "without salts the second pair reuses everything");
    }

    @Test
    void generatedTenantsDoNotShareSystemPrompts() {
        GeneratorOptions twoTenants = new GeneratorOptions(3, 200, 2, 64, 0, 3, 20, 10, 10, 2, 400, 16);
        ReplayOptions infinite = ReplayOptions.builder().nodes(1).path(ServingSetup.LOCAL_ONLY)
                .layout(BlockLayout.replay(16)).capacityTokensPerNode(1L << 30).payload(false).build();
        ReplayResult salted = Replay.run(SyntheticTraceGenerator.generate(twoTenants), infinite);
        ReplayResult together = Replay.run(SyntheticTraceGenerator.generate(twoTenants.withTenants(1)), infinite);
        assertTrue(together.reuse().blockHitRate() > salted.reuse().blockHitRate(),
                "one tenant shares both system prompts: " + together.reuse().blockHitRate() + " vs "
                        + salted.reuse().blockHitRate());
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedBlockThatIsNeitherInUseNorPinned() {
        List<Long> evicted = new ArrayList<>();
        NodeBlockCache cache = new NodeBlockCache(0, 3, (key, slot) -> evicted.add(key));
        NodeBlockCache.Entry a = cache.insert(1);
        NodeBlockCache.Entry b = cache.insert(2);
        cache.insert(3);
        cache.acquire(a);
        assertTrue(cache.pin(2));
        assertNotNull(cache.insert(4));
        assertEquals(List.of(3L), evicted, "1 is in use and 2 is pinned, so 3 goes");
        cache.release(a);
        cache.touch(cache.get(4));
        assertNotNull(cache.insert(5));
        assertEquals(List.of(3L, 1L), evicted, "1 was released before 4 was touched");
        assertEquals(b.slot(), cache.get(2).slot());
        assertEquals(3, cache.size());
        assertEquals(2, cache.evictions());
    }

    @Test
    void aFullNodeWhoseBlocksAreAllInUseCachesNothingMore() {
        NodeBlockCache cache = new NodeBlockCache(0, 1, (key, slot) -> { });
        cache.acquire(cache.insert(1));
        assertNull(cache.insert(2));
        assertNull(cache.insert(1), "already cached");
    }

    @Test
    void theGlobalViewKnowsEveryHolderAndTheLongestPrefix() {
        PrefixIndex index = new PrefixIndex(3, 10);
        index.insert(0, 10);
        index.insert(1, 10);
        index.insert(1, 11);
        index.insert(2, 12);
        assertEquals(2, index.holders(10).size());
        assertEquals(2, index.longestPrefix(new long[] {10, 11, 13}));
        assertEquals(new PrefixIndex.PrefixMatch(1, 2), index.longestPrefixNode(new long[] {10, 11, 12}));
        assertEquals(new PrefixIndex.PrefixMatch(-1, 0), index.longestPrefixNode(new long[] {13, 10}));
    }

    @Test
    void evictionRemovesTheHolderFromTheGlobalView() {
        PrefixIndex index = new PrefixIndex(2, 1);
        index.insert(0, 10);
        index.insert(0, 11);
        assertFalse(index.held(10));
        assertTrue(index.held(11));
        assertEquals(1, index.evictions());
    }

    @Test
    void hashShardingSpreadsBlocksAndLeastLoadedFillsTheEmptiestNode() {
        PrefixIndex index = new PrefixIndex(4, 100);
        int[] perNode = new int[4];
        for (long key = 0; key < 4_000; key++) {
            perNode[PlacementPolicy.HASH_SHARDED.place(key, 0, index)]++;
        }
        for (int count : perNode) {
            assertTrue(count > 900 && count < 1_100, "hash sharding is uneven: " + count);
        }
        index.insert(0, 1);
        index.insert(1, 2);
        index.insert(3, 3);
        assertEquals(2, PlacementPolicy.LEAST_LOADED.place(99, 0, index));
        assertEquals(3, PlacementPolicy.LOCAL_FIRST.place(99, 3, index));
    }
}
