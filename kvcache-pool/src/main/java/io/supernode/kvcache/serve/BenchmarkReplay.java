package io.supernode.kvcache.serve;

import io.supernode.kvcache.trace.GeneratorOptions;
import io.supernode.kvcache.trace.SyntheticTraceGenerator;
import io.supernode.kvcache.trace.TraceLoad;

/**
 * The small replay JMH's {@code KvReplayBenchmark} runs and the report times beside it, defined once so
 * both time the same work: {@value #REQUESTS} generated chat requests (seed 42) on the default machine,
 * each node holding a quarter of what every distinct block of the trace needs, so every path hits,
 * fetches and evicts. Each run boots a new pool, as a replay from the command line does.
 */
public final class BenchmarkReplay {

    /** Requests per run. */
    public static final int REQUESTS = 200;

    private final TraceLoad trace;
    private final ReplayOptions options;

    /** The replay on {@code path}. */
    public BenchmarkReplay(ServingSetup path) {
        this.trace = SyntheticTraceGenerator.generate(GeneratorOptions.defaults(42).withRequests(REQUESTS));
        ReplayOptions base = ReplayOptions.defaults();
        this.options = base.toBuilder().path(path).capacityTokensPerNode(Math.max(base.layout().tokensPerBlock(),
                base.capacityHoldingEveryBlock(trace) / 4)).build();
    }

    /** Requests in the trace: {@link #REQUESTS}. */
    public int requests() {
        return trace.requests().size();
    }

    /** Replays the trace once on a new pool. */
    public ReplayResult run() {
        return Replay.run(trace, options);
    }
}
