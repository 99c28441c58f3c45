package io.supernode.examples;

import io.supernode.kvcache.serve.Replay;
import io.supernode.kvcache.serve.ReplayOptions;
import io.supernode.kvcache.serve.ReplayResult;
import io.supernode.kvcache.serve.RouterPolicy;
import io.supernode.kvcache.serve.ServingSetup;
import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;

import java.util.List;
import java.util.Locale;

/**
 * Teaches KV-cache pooling: chat sessions sent round-robin to 8 nodes. Stacked servers (local-only)
 * reuse a prompt prefix only when the same node computed it; a pool reuses any node's, by reading it
 * in place (unified) or by fetching it (copy). Every path computes the same attention outputs, checked
 * bit for bit; what differs is how much prefill is saved and what the fabric carries.
 */
public final class KvPooling {

    private KvPooling() {
    }

    /** Runs the example. */
    public static void main(String[] args) {
        TraceLoad load = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(42).withRequests(300));
        ReplayOptions options = ReplayOptions.builder().router(RouterPolicy.ROUND_ROBIN).capacityTokensPerNode(32_000).build();
        List<ReplayResult> results = Replay.sideBySide(load, options, List.of(ServingSetup.values()), done -> { });
        for (ReplayResult r : results) {
            System.out.printf(Locale.ROOT, "%-15s block hits %5.1f %%  TTFT p50 %6.1f ms  fabric %8.1f GB  messages %d%n",
                    r.options().path().label(), 100 * r.reuse().blockHitRate(), r.modeled().ttftQuantileNanos(0.5) / 1e6,
                    r.traffic().fabricBytes() / 1e9, r.traffic().messages());
        }
        System.out.printf("decode outputs identical on every path: digest %016x%n", results.getFirst().outputDigest());
    }
}
