package io.supernode.bench;

import io.supernode.kvcache.index.BlockHash;
import io.supernode.kvcache.index.PrefixIndex;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The pooled KV cache's prefix index: block lookups per second when matching a prompt's prefix
 * anywhere in the pool (what the pooled paths ask) and on each of 8 nodes (what the cache-aware
 * router asks), against bare lookups in one primitive hash map holding the same keys. 200,000
 * blocks of chained keys over 8 nodes; every prompt is 32 blocks, all cached, so every lookup runs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class KvIndexBenchmark extends BenchmarkDefaults {

    private static final int NODES = 8;
    private static final int PROMPT_BLOCKS = 32;
    private static final int PROMPTS = 6_250;

    private PrefixIndex index;
    private LongObjectHashMap<Object> bare;
    private long[][] prompts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        index = new PrefixIndex(NODES, PROMPTS * PROMPT_BLOCKS);
        bare = new LongObjectHashMap<>();
        prompts = new long[PROMPTS][PROMPT_BLOCKS];
        for (int p = 0; p < PROMPTS; p++) {
            long parent = BlockHash.ROOT;
            int node = random.nextInt(NODES);
            for (int b = 0; b < PROMPT_BLOCKS; b++) {
                parent = BlockHash.mix(parent ^ random.nextLong());
                prompts[p][b] = parent;
                index.insert(node, parent);
                bare.put(parent, Boolean.TRUE);
            }
        }
    }

    private long[] nextPrompt() {
        long[] prompt = prompts[next];
        next = next + 1 == PROMPTS ? 0 : next + 1;
        return prompt;
    }

    /** The baseline: one primitive-map lookup per block. */
    @Benchmark
    @OperationsPerInvocation(PROMPT_BLOCKS)
    public int bareMapLookups() {
        long[] prompt = nextPrompt();
        int found = 0;
        while (found < prompt.length && bare.containsKey(prompt[found])) {
            found++;
        }
        return found;
    }

    /** The pooled paths' question: how many leading blocks are held anywhere. */
    @Benchmark
    @OperationsPerInvocation(PROMPT_BLOCKS)
    public int pooledPrefixLookups() {
        return index.longestPrefix(nextPrompt());
    }

    /**
     * The cache-aware router's question: which node holds the longest prefix. The holder answers 32
     * lookups and each other node stops at its first miss: 39 lookups.
     */
    @Benchmark
    @OperationsPerInvocation(PROMPT_BLOCKS + NODES - 1)
    public int longestPrefixNodeLookups() {
        return index.longestPrefixNode(nextPrompt()).blocks();
    }
}
